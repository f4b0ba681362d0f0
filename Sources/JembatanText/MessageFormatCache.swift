import Foundation

/// Compiled formatters shared by every copy of a `TemplateCatalog`.
///
/// `@unchecked Sendable` is safe because all state, including every use of the non-thread-safe
/// ICU formatters, is reached only while `lock` is held. The lock is `NSLock` (a pthread
/// mutex on Linux), which ThreadSanitizer understands (STYLE.md). Formatting holds it for a
/// few microseconds; in the server only the service thread renders, so it is uncontended.
final class MessageFormatCache: @unchecked Sendable {
    /// A catalog's patterns never change, so its locale and key name the pattern (and are
    /// cheaper to hash than the pattern itself).
    private struct Key: Hashable {
        var locale: String
        var key: String
    }

    /// A rendered text and what it was rendered from.
    private struct Rendering: Hashable {
        var key: Key
        var arguments: [String: TemplateArgument]
    }

    private let lock = NSLock()
    /// Recent renderings: queue updates repeat the same few sentences ("3 people ahead,
    /// about 12 minutes") to hundreds of applicants per routing decision. Emptied when full.
    private var rendered: [Rendering: String] = [:]
    private static let renderedLimit = 8192
    /// nil records a pattern ICU refused, so it is not compiled again on every render.
    /// Bounded by the catalog: keys only ever come from its patterns.
    private var formatters: [Key: ICUMessageFormat?] = [:]

    /// The template `key` of catalog locale `locale` formatted with `arguments`, or nil when it
    /// does not compile or format. `pattern`, `localeID` and `timeZone` are only read on first
    /// use: a catalog, which owns its cache, has one time zone.
    func format(
        _ key: String, locale: String, pattern: String, localeID: String, timeZone: String,
        arguments: [String: TemplateArgument]
    ) -> String? {
        lock.lock()
        defer { lock.unlock() }
        let cacheKey = Key(locale: locale, key: key)
        let rendering = Rendering(key: cacheKey, arguments: arguments)
        if let text = rendered[rendering] { return text }
        let formatter: ICUMessageFormat?
        if let cached = formatters[cacheKey] {
            formatter = cached
        } else {
            formatter = try? ICUMessageFormat(pattern: pattern, localeID: localeID, timeZone: timeZone)
            formatters[cacheKey] = .some(formatter)
        }
        guard let text = try? formatter?.format(arguments) else { return nil }
        if rendered.count >= Self.renderedLimit { rendered.removeAll(keepingCapacity: true) }
        rendered[rendering] = text
        return text
    }
}
