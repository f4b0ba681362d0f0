import Foundation
import JembatanText

/// Turns stored transcript entries into `message` frames for one reader.
public struct MessageRenderer: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) { self.localizer = localizer }

    /// A typed message reads the same in every locale: one frame serves every reader (and is
    /// encoded once); system messages and reply templates are rendered per reader.
    public static func readsAlike(_ stored: StoredMessage) -> Bool { stored.message.kind == .text }

    /// A transcript entry as one reader sees it: system messages are rendered in `locale`.
    public func frame(_ stored: StoredMessage, locale: String) -> JSONValue {
        let message = stored.message
        // Appended in PROTOCOL.md's order; keyed assignment searched the pairs for every key.
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(13)
        pairs += [
            ("type", "message"), ("session", .string(message.session.rawValue)), ("seq", JSONValue(stored.seq)),
            ("ts", .string(Timestamp.format(message.createdAt))),
        ]
        switch message.kind {
        case .system:
            let key = message.templateKey ?? "message.unavailable"
            let args = message.templateArgs ?? [:]
            let text = localizer.render(key, args, locale: locale)
            pairs += [
                ("from", .object(["role": "system"])), ("key", .string(key)), ("args", .object(args)), ("text", .string(text)),
                ("dir", .string(TextSanitizer.baseDirection(of: text).rawValue)), ("lang", .string(locale)),
            ]
        case .text:
            pairs += [
                ("from", sender(stored)), ("text", .string(message.text ?? "")), ("dir", JSONValue(message.dir)),
                ("lang", JSONValue(message.lang)),
            ]
            if let id = message.clientMessageID { pairs.append(("client_msg_id", .string(id.rawValue))) }
        case .template:
            // A reply template: every reader gets it in their own language.
            let key = message.templateKey ?? ""
            let args = message.templateArgs ?? [:]
            let text = localizer.render(ReplyTemplates.patternKey(key), args, locale: locale)
            pairs += [
                ("from", sender(stored)), ("key", .string(key)), ("args", .object(args)), ("text", .string(text)),
                ("dir", .string(TextSanitizer.baseDirection(of: text).rawValue)), ("lang", .string(locale)),
            ]
            if let id = message.clientMessageID { pairs.append(("client_msg_id", .string(id.rawValue))) }
        }
        if message.staffOnly { pairs.append(("visibility", "staff")) }
        if let replyTo = message.replyTo { pairs.append(("reply_to", JSONValue(replyTo))) }
        if let translationOf = message.translationOf { pairs.append(("translation_of", JSONValue(translationOf))) }
        return .object(JSONObject(pairs))
    }

    private func sender(_ stored: StoredMessage) -> JSONValue {
        var from: JSONObject = ["role": .string(stored.message.senderRole.rawValue)]
        if let sender = stored.message.sender { from["id"] = .string(sender.rawValue) }
        if let name = stored.senderName { from["name"] = .string(name) }
        return .object(from)
    }
}
