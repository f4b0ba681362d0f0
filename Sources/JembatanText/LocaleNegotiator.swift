import Foundation

/// Picks the locale to speak to someone from what they ask for and what we ship.
///
/// Matching goes through ICU rather than string prefixes so that deprecated codes (`in`),
/// scripts (`zh-Hans`), regions (`ar-EG`) and ICU-style IDs (`zh_Hans`) all land on the
/// shipped locale that serves them.
public struct LocaleNegotiator: Sendable {
    /// The shipped locales, as given.
    public let available: [String]
    /// The answer when no wish matches.
    public let defaultLocale: String
    /// Canonical ICU ID → shipped locale; the first shipped spelling wins.
    private let byID: [String: String]

    /// - Parameters:
    ///   - available: the shipped locales (BCP 47 tags such as `"id"`, `"zh"`).
    ///   - defaultLocale: returned when nothing matches; usually one of `available`.
    public init(available: [String], defaultLocale: String) {
        self.available = available
        self.defaultLocale = defaultLocale
        var byID: [String: String] = [:]
        for locale in available {
            guard let id = ICULocale.canonicalID(locale) else { continue }
            if byID[id] == nil { byID[id] = locale }
        }
        self.byID = byID
    }

    /// First wish that resolves (through ICU: canonicalise — `in` → `id`; likely subtags / truncation fallback:
    /// `zh-Hans-CN`,`zh-CN`,`zh-TW`,`zh_Hans` → `zh`, `ar-EG` → `ar`, `en-US` → `en`), else defaultLocale.
    public func negotiate(_ wishes: [String]) -> String {
        for wish in wishes {
            if let match = resolve(wish) { return match }
        }
        return defaultLocale
    }

    /// Parses an HTTP Accept-Language header (q-values) and negotiates.
    public func negotiate(acceptLanguage: String) -> String {
        negotiate(AcceptLanguage.rankedTags(acceptLanguage))
    }

    /// The shipped locale serving one wish, or nil.
    ///
    /// Candidates, most specific first: the maximised ID and its truncations ("zh_Hant_TW",
    /// "zh_Hant", "zh"), which lets a script-only wish such as `und-Arab` find `ar`; then the
    /// canonical ID's own truncations, in case likely subtags moved the language.
    func resolve(_ wish: String) -> String? {
        let trimmed = wish.trimmingCharacters(in: .whitespaces)
        guard trimmed != "*", let id = ICULocale.canonicalID(trimmed) else { return nil }
        let maximized = ICULocale.maximized(id).map(ICULocale.truncationChain) ?? []
        for candidate in maximized + ICULocale.truncationChain(id) {
            if let locale = byID[candidate] { return locale }
        }
        return nil
    }
}
