import JembatanText

/// Localised text for the broker: locale negotiation and template rendering through ICU.
/// A class, not a struct: every broker action that renders text takes it along, and a struct
/// copy retained each of its catalogs.
public final class Localizer: Sendable {
    public let catalog: TemplateCatalog
    public let negotiator: LocaleNegotiator

    /// The office's time zone, for dates and times people read.
    public let timeZone: String

    public init(catalog: TemplateCatalog, timeZone: String = "Asia/Jakarta") {
        self.catalog = catalog
        self.timeZone = timeZone
        self.negotiator = LocaleNegotiator(available: catalog.locales, defaultLocale: catalog.defaultLocale)
    }

    /// Arguments whose values are codes with their own localised names.
    static let codedArguments: [String: String] = [
        "role": "role.", "service": "service.", "reason": "close.", "status": "status.", "outcome": "outcome.",
        "complaint_status": "complaint_status.",
    ]

    /// Renders a stored template in `locale`. Coded arguments (`role`, `service`, `reason`)
    /// are replaced by their localised names first, so stored arguments stay language-free.
    public func render(_ key: String, _ args: JSONObject = [:], locale: String) -> String {
        var arguments: [String: TemplateArgument] = [:]
        for (name, value) in args.pairs {
            switch value {
            case .number(let n): arguments[name] = .number(n)
            case .string(let s):
                if let prefix = Self.codedArguments[name] {
                    let codedKey = prefix + s
                    let fallback = prefix + "other"
                    let localised = catalog.hasKey(codedKey) ? codedKey : (catalog.hasKey(fallback) ? fallback : nil)
                    arguments[name] = .string(localised.map { catalog.render($0, locale: locale) } ?? s)
                } else {
                    // A name or other user text inside a sentence is isolated (FSI … PDI), so an
                    // Arabic name in an English line, or a Latin one in Arabic, cannot reorder
                    // the words around it.
                    arguments[name] = .string("\u{2068}" + s + "\u{2069}")
                }
            case .bool(let b): arguments[name] = .string(b ? "true" : "false")
            case .object(let object):
                // A stored date argument: {"date": "<RFC 3339>"}.
                if let text = object["date"]?.stringValue, let date = TemplateArgument.date(rfc3339: text) {
                    arguments[name] = .date(date)
                }
            default: continue
            }
        }
        return catalog.render(key, arguments, locale: locale)
    }

    /// Numbers and dates for `locale`, with the catalog's digits and the office's time zone.
    public func formatter(_ locale: String) -> LocaleFormatter {
        LocaleFormatter(locale: locale, digits: catalog.digits, timeZone: timeZone)
    }

    public func negotiate(_ wishes: [String?]) -> String {
        negotiator.negotiate(wishes.compactMap { $0 })
    }
}
