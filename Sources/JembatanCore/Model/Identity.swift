/// Who is on the other end of a connection, as the verified token says.
public struct Identity: Sendable, Hashable {
    public var id: ParticipantID
    public var role: Role
    public var name: String
    /// BCP 47 language tags the person speaks, normalised with ``LanguageTag/normalise(_:)``.
    public var langs: [String]
    public var locale: String?
    /// Staff: how many sessions at once.
    public var capacity: Int?

    public init(
        id: ParticipantID, role: Role, name: String, langs: [String], locale: String? = nil,
        capacity: Int? = nil
    ) {
        self.id = id
        self.role = role
        self.name = name
        self.langs = langs.map(LanguageTag.normalise)
        self.locale = locale
        self.capacity = capacity
    }

    public func speaks(_ language: String) -> Bool {
        langs.contains(LanguageTag.normalise(language))
    }
}

/// Language matching for routing: people speak languages, not regions or scripts, so
/// `zh-Hans`, `zh-CN` and `zh` are one language and `in` is the old code for `id`.
public enum LanguageTag {
    public static func normalise(_ tag: String) -> String {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        let lower = primary.lowercased()
        switch lower {
        case "in": return "id"
        case "iw": return "he"
        default: return lower
        }
    }

    /// A plausible language tag: 2 to 8 letters, then optional subtags of letters and digits.
    public static func isWellFormed(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count),
            first.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
