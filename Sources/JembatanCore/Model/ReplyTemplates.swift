import Foundation
import JembatanText

/// The reply templates staff may send and the notifications the application system may
/// push, from `Locales/manifest/templates.json`: each key's roles and typed arguments. The
/// patterns themselves live in every locale file (`tpl.<key>`, `tpl.<key>.title`,
/// `notify.<key>`), so each reader gets them in their own language.
public struct ReplyTemplates: Sendable {
    public enum ArgumentType: String, Sendable {
        /// `"2026-12-15"` (a day in the office's time zone) or an RFC 3339 time.
        case date
        /// An RFC 3339 time, or `"2026-12-15T09:30"` in the office's time zone.
        case datetime
        case number
        /// An amount in rupiah (a number ≥ 0), formatted as currency per locale.
        case money
        /// A short text (a name, an address), at most 200 characters.
        case text
        /// An application status code (`received`, `in_review`, …), named per locale.
        case status
    }

    public struct Template: Sendable {
        public var key: String
        public var roles: Set<Role>
        /// Argument names (sorted) and their types.
        public var arguments: [(name: String, type: ArgumentType)]
    }

    public var replies: [String: Template]
    public var notifications: [String: Template]

    public static let none = ReplyTemplates(replies: [:], notifications: [:])
    public static let statuses: Set<String> = [
        "received", "in_review", "documents_requested", "approved", "rejected", "ready_for_collection",
    ]

    public static func patternKey(_ key: String) -> String { "tpl." + key }
    public static func titleKey(_ key: String) -> String { "tpl." + key + ".title" }
    public static func notificationKey(_ key: String) -> String { "notify." + key }

    public init(replies: [String: Template], notifications: [String: Template]) {
        self.replies = replies
        self.notifications = notifications
    }

    /// `{"replies": {key: {"roles": […], "args": {name: type}}}, "notifications": {key: {"args": …}}}`
    public static func load(manifest data: Data) throws -> ReplyTemplates {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TemplateError("templates manifest: not a JSON object")
        }
        func section(_ name: String) throws -> [String: Template] {
            guard let entries = (root[name] ?? [String: Any]()) as? [String: [String: Any]] else {
                throw TemplateError("templates manifest: \(name) must be an object of objects")
            }
            var templates: [String: Template] = [:]
            for (key, entry) in entries {
                let roles = try ((entry["roles"] as? [String]) ?? []).map { name in
                    guard let role = Role(rawValue: name) else {
                        throw TemplateError("templates manifest: \(key).roles: unknown role \(name)")
                    }
                    return role
                }
                let args = (entry["args"] as? [String: String]) ?? [:]
                let typed = try args.keys.sorted().map { argument in
                    guard let type = ArgumentType(rawValue: args[argument]!) else {
                        throw TemplateError("templates manifest: \(key).args.\(argument): unknown type")
                    }
                    return (name: argument, type: type)
                }
                templates[key] = Template(key: key, roles: Set(roles), arguments: typed)
            }
            return templates
        }
        return ReplyTemplates(replies: try section("replies"), notifications: try section("notifications"))
    }

    /// The arguments as stored (dates as `{"date": RFC 3339}`), or the name of the one at fault.
    public static func arguments(_ template: Template, _ raw: JSONObject, timeZone: String) -> Result<JSONObject, TemplateError> {
        let expected = Set(template.arguments.map(\.name))
        if let extra = raw.pairs.map(\.0).sorted().first(where: { !expected.contains($0) }) {
            return .failure(TemplateError("unknown argument '\(extra)'"))
        }
        var stored = JSONObject()
        for (name, type) in template.arguments {
            guard let value = raw[name], let converted = convert(value, type, timeZone: timeZone) else {
                return .failure(TemplateError("argument '\(name)' must be \(type.rawValue)"))
            }
            stored[name] = converted
        }
        return .success(stored)
    }

    private static func convert(_ value: JSONValue, _ type: ArgumentType, timeZone: String) -> JSONValue? {
        switch type {
        case .number, .money:
            guard let n = value.numberValue, n.isFinite, n >= 0, n < 1e15 else { return nil }
            return .number(n)
        case .text:
            guard let text = value.stringValue, let clean = try? TextSanitizer.sanitize(text, maxGraphemes: 200) else { return nil }
            return .string(clean)
        case .status:
            guard let code = value.stringValue, statuses.contains(code) else { return nil }
            return .string(code)
        case .date, .datetime:
            guard let text = value.stringValue, let date = officeDate(text, dayOnly: type == .date, timeZone: timeZone) else { return nil }
            return .object(["date": .string(Timestamp.format(date))])
        }
    }

    /// An RFC 3339 time, or a local day (`date`) / local time (`datetime`) in the office's zone.
    public static func officeDate(_ text: String, dayOnly: Bool, timeZone: String) -> Date? {
        if let instant = TemplateArgument.date(rfc3339: text) { return instant }
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        let pieces = text.split(whereSeparator: { "-T:".contains($0) }).map { Int($0) }
        guard pieces.allSatisfy({ $0 != nil }), pieces.count == (dayOnly ? 3 : 5) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = DateComponents(
            year: pieces[0], month: pieces[1], day: pieces[2], hour: dayOnly ? 0 : pieces[3], minute: dayOnly ? 0 : pieces[4])
        guard parts.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: parts)
    }
}

/// A template manifest or argument problem; names the key or argument, never a value.
public struct TemplateError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
