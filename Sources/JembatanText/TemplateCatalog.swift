import Foundation

/// The localised templates of `Locales/`: one `<locale>.json` per locale, each a flat JSON
/// object of key → ICU MessageFormat pattern, rendered through ICU in the reader's locale.
///
/// A value type that is cheap to copy and safe to share: patterns are immutable, and the
/// compiled ICU formatters live in a shared, locked cache.
public struct TemplateCatalog: Sendable {
    /// The key rendered when a template is missing or fails.
    public static let unavailableKey = "message.unavailable"
    /// The last resort when even `unavailableKey` cannot be rendered; `check()` reports that
    /// case, so a shipped catalog never gets here.
    static let lastResort = "This message is not available."

    /// The loaded locales, sorted.
    public let locales: [String]
    /// The locale whose keys are the reference and whose patterns fill gaps in the others.
    public let defaultLocale: String
    /// locale → key → pattern, metadata removed.
    let patterns: [String: [String: String]]
    /// locale → metadata ("_locale", "_name", …) whose values are strings.
    let metadata: [String: [String: String]]
    /// locale → the ICU locale ID its patterns are compiled for ("zh-Hant" → "zh_Hant").
    let localeIDs: [String: String]
    /// The digits numbers are formatted with.
    public let digits: DigitStyle
    /// The IANA time zone that date and time arguments are shown in ("Asia/Jakarta").
    public let timeZone: String
    private let cache = MessageFormatCache()

    /// Loads every `<locale>.json` in the folder: a flat JSON object key → ICU MessageFormat pattern (keys starting with "_" are metadata, ignored).
    /// - Throws: `TemplateCatalogError` when the folder cannot be read, a file is not a JSON
    ///   object of strings, `<defaultLocale>.json` is missing or ICU does not know the time
    ///   zone. Patterns are not compiled here (they are on first use); `check()` finds the
    ///   broken ones.
    /// - Parameters:
    ///   - digits: `.latin` writes numbers (and the digits of dates) with Latin digits in every
    ///     locale (Arabic's default is Arabic-Indic).
    ///   - timeZone: the office's IANA time zone, for `{when, date, …}` and `{when, time, …}`:
    ///     "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA) or "Asia/Jayapura" (WIT).
    public init(
        directory: URL, defaultLocale: String = "en", digits: DigitStyle = .native, timeZone: String = "Asia/Jakarta"
    ) throws {
        guard LocaleFormatter.isKnownTimeZone(timeZone) else { throw TemplateCatalogError.unknownTimeZone(timeZone) }
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        } catch {
            throw TemplateCatalogError.unreadableDirectory(path: directory.path)
        }
        var patterns: [String: [String: String]] = [:]
        var metadata: [String: [String: String]] = [:]
        for file in files where file.pathExtension == "json" {
            let locale = file.deletingPathExtension().lastPathComponent
            (patterns[locale], metadata[locale]) = try Self.load(file)
        }
        guard patterns[defaultLocale] != nil else { throw TemplateCatalogError.missingDefaultLocale(defaultLocale) }
        self.locales = patterns.keys.sorted()
        self.defaultLocale = defaultLocale
        self.patterns = patterns
        self.metadata = metadata
        self.digits = digits
        self.timeZone = timeZone
        self.localeIDs = Dictionary(uniqueKeysWithValues: patterns.keys.map { ($0, digits.localeID($0)) })
    }

    /// Reads one locale file into its patterns and its string metadata.
    private static func load(_ file: URL) throws -> (patterns: [String: String], metadata: [String: String]) {
        let name = file.lastPathComponent
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: file))
        } catch {
            throw TemplateCatalogError.invalidFile(name: name, reason: "not readable as JSON")
        }
        guard let entries = object as? [String: Any] else {
            throw TemplateCatalogError.invalidFile(name: name, reason: "not a JSON object")
        }
        var patterns: [String: String] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in entries {
            if key.hasPrefix("_") {
                if let text = value as? String { metadata[key] = text }
            } else if let pattern = value as? String {
                patterns[key] = pattern
            } else {
                throw TemplateCatalogError.invalidFile(name: name, reason: "the value of \"\(key)\" is not a string")
            }
        }
        return (patterns, metadata)
    }

    /// True if the default locale has `key` (every locale should: `check()` says).
    public func hasKey(_ key: String) -> Bool { patterns[defaultLocale]?[key] != nil }

    /// Renders with ICU MessageFormat in `locale` (numbers/plurals per locale — e.g. Arabic uses Arabic-Indic digits in ICU's default numbering for "ar"; that is fine).
    /// Date and time arguments (`.date`) are shown in the catalog's time zone.
    /// Missing key in that locale → the default locale's pattern; missing everywhere or a format failure → a safe generic text from key "message.unavailable" (never the raw key). Never throws.
    ///
    /// A locale the catalog lacks is tried by its language ("ar-EG" → "ar"), then the default.
    /// A pattern is formatted in the locale it came from, so an English fallback never gets
    /// Arabic digits. An argument the pattern needs but `args` lacks counts as a failure:
    /// ICU would print "{name}".
    public func render(_ key: String, _ args: [String: TemplateArgument] = [:], locale: String) -> String {
        let locale = catalogLocale(for: locale)
        return format(key, args, in: locale)
            ?? format(key, args, in: defaultLocale)
            ?? format(Self.unavailableKey, [:], in: locale)
            ?? format(Self.unavailableKey, [:], in: defaultLocale)
            ?? Self.lastResort
    }

    /// The pattern of `key` in `locale` formatted with `args`, or nil if missing or failing.
    private func format(_ key: String, _ args: [String: TemplateArgument], in locale: String) -> String? {
        guard let pattern = patterns[locale]?[key] else { return nil }
        return cache.format(
            key, locale: locale, pattern: pattern, localeID: localeIDs[locale] ?? locale, timeZone: timeZone, arguments: args)
    }

    /// `locale` if loaded, else its language subtag if loaded, else the default locale.
    func catalogLocale(for locale: String) -> String {
        if patterns[locale] != nil { return locale }
        let language = String(locale.prefix { $0 != "-" && $0 != "_" })
        return patterns[language] != nil ? language : defaultLocale
    }
}
