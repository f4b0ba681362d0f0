import Foundation
import JembatanText

/// Turns stored transcript entries into `message` frames for one reader.
public struct MessageRenderer: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) { self.localizer = localizer }

    /// A transcript entry as one reader sees it: system messages are rendered in `locale`.
    public func frame(_ stored: StoredMessage, locale: String) -> JSONValue {
        let message = stored.message
        var frame: JSONObject = [
            "type": "message", "session": .string(message.session.rawValue), "seq": JSONValue(stored.seq),
            "ts": .string(Timestamp.format(message.createdAt)),
        ]
        switch message.kind {
        case .system:
            let key = message.templateKey ?? "message.unavailable"
            let args = message.templateArgs ?? [:]
            let text = localizer.render(key, args, locale: locale)
            frame["from"] = .object(["role": "system"])
            frame["key"] = .string(key)
            frame["args"] = .object(args)
            frame["text"] = .string(text)
            frame["dir"] = .string(TextSanitizer.baseDirection(of: text).rawValue)
            frame["lang"] = .string(locale)
        case .text:
            frame["from"] = sender(stored)
            frame["text"] = .string(message.text ?? "")
            frame["dir"] = JSONValue(message.dir)
            frame["lang"] = JSONValue(message.lang)
            if let id = message.clientMessageID { frame["client_msg_id"] = .string(id.rawValue) }
        case .template:
            // A reply template: every reader gets it in their own language.
            let key = message.templateKey ?? ""
            let args = message.templateArgs ?? [:]
            let text = localizer.render(ReplyTemplates.patternKey(key), args, locale: locale)
            frame["from"] = sender(stored)
            frame["key"] = .string(key)
            frame["args"] = .object(args)
            frame["text"] = .string(text)
            frame["dir"] = .string(TextSanitizer.baseDirection(of: text).rawValue)
            frame["lang"] = .string(locale)
            if let id = message.clientMessageID { frame["client_msg_id"] = .string(id.rawValue) }
        }
        if message.staffOnly { frame["visibility"] = "staff" }
        if let replyTo = message.replyTo { frame["reply_to"] = JSONValue(replyTo) }
        if let translationOf = message.translationOf { frame["translation_of"] = JSONValue(translationOf) }
        return .object(frame)
    }

    private func sender(_ stored: StoredMessage) -> JSONValue {
        var from: JSONObject = ["role": .string(stored.message.senderRole.rawValue)]
        if let sender = stored.message.sender { from["id"] = .string(sender.rawValue) }
        if let name = stored.senderName { from["name"] = .string(name) }
        return .object(from)
    }
}
