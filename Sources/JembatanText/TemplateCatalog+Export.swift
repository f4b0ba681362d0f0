/// The raw patterns, for clients that format them themselves: the web pages take their
/// strings from the same `Locales/` files as the broker's own texts.
extension TemplateCatalog {
    /// The catalog locale serving `locale` and its patterns whose keys start with one of
    /// `prefixes`, gaps filled from the default locale.
    public func patterns(for locale: String, prefixes: [String]) -> (locale: String, patterns: [String: String]) {
        let chosen = catalogLocale(for: locale)
        var result: [String: String] = [:]
        for source in [defaultLocale, chosen] {
            for (key, pattern) in patterns[source] ?? [:] where prefixes.contains(where: key.hasPrefix) {
                result[key] = pattern
            }
        }
        return (chosen, result)
    }

    /// The locale's own name for itself (its `_name`), or the tag.
    public func displayName(of locale: String) -> String { metadata[locale]?["_name"] ?? locale }
}
