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
            var from: JSONObject = ["role": .string(message.senderRole.rawValue)]
            if let sender = message.sender { from["id"] = .string(sender.rawValue) }
            if let name = stored.senderName { from["name"] = .string(name) }
            frame["from"] = .object(from)
            frame["text"] = .string(message.text ?? "")
            frame["dir"] = JSONValue(message.dir)
            frame["lang"] = JSONValue(message.lang)
            if let id = message.clientMessageID { frame["client_msg_id"] = .string(id.rawValue) }
        }
        if let replyTo = message.replyTo { frame["reply_to"] = JSONValue(replyTo) }
        if let translationOf = message.translationOf { frame["translation_of"] = JSONValue(translationOf) }
        return .object(frame)
    }
}
