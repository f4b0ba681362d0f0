/// Why a `TemplateCatalog` could not be loaded. Descriptions name files and keys, never
/// pattern text.
public enum TemplateCatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder could not be listed.
    case unreadableDirectory(path: String)
    /// A `<locale>.json` file that is not a JSON object of strings.
    case invalidFile(name: String, reason: String)
    /// No `<defaultLocale>.json` in the folder.
    case missingDefaultLocale(String)
    /// A time zone ICU does not know (its formatters would quietly show GMT).
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .unreadableDirectory(let path): "cannot read the locales folder \(path)"
        case .invalidFile(let name, let reason): "\(name): \(reason)"
        case .missingDefaultLocale(let locale): "the default locale \(locale) has no \(locale).json"
        case .unknownTimeZone(let zone): "unknown time zone \"\(zone)\" (an IANA name such as Asia/Jakarta)"
        }
    }
}
