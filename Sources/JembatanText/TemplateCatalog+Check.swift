extension TemplateCatalog {
    /// The check behind `jembatan locales check`: per locale, missing keys vs default locale, extra keys, patterns that fail to compile in ICU, argument names differing from the default locale's, plural forms not covering that locale's CLDR plural categories (ask ICU: uplrules_getKeywords), stray bidi control characters in patterns.
    ///
    /// Also reported: plural branches for categories the locale does not have (dead text,
    /// usually copied from another language), a `_locale` that disagrees with the file name,
    /// and a default locale without `message.unavailable`, the fallback of every render.
    /// Reports come in locale order; problems in key order.
    public func check() -> [LocaleReport] {
        let reference = compiled(defaultLocale)
        return locales.map { locale in
            let own = locale == defaultLocale ? reference : compiled(locale)
            return LocaleReport(locale: locale, keys: patterns[locale]?.count ?? 0, problems: problems(locale, own, reference))
        }
    }

    /// The outcome of compiling one pattern: the formatter, or ICU's complaint.
    private typealias Compiled = Result<ICUMessageFormat, ICUMessageFormat.CompileError>

    /// Every pattern of `locale` compiled afresh (not through the shared cache: a check is
    /// rare, and this keeps it off the render lock).
    private func compiled(_ locale: String) -> [String: Compiled] {
        let localeID = localeIDs[locale] ?? locale
        return (patterns[locale] ?? [:]).mapValues { pattern in
            Result { () throws(ICUMessageFormat.CompileError) in
                try ICUMessageFormat(pattern: pattern, localeID: localeID, timeZone: timeZone)
            }
        }
    }

    private func problems(_ locale: String, _ own: [String: Compiled], _ reference: [String: Compiled]) -> [String] {
        let keys = Set((patterns[locale] ?? [:]).keys)
        let referenceKeys = Set((patterns[defaultLocale] ?? [:]).keys)
        var problems: [String] = []
        if let tag = metadata[locale]?["_locale"], tag != locale {
            problems.append("_locale \"\(tag)\" does not match the file name \(locale).json")
        }
        if locale == defaultLocale, !keys.contains(Self.unavailableKey) {
            problems.append("missing fallback key \"\(Self.unavailableKey)\"")
        }
        for key in referenceKeys.subtracting(keys).sorted() {
            problems.append("missing key \"\(key)\"")
        }
        for key in keys.subtracting(referenceKeys).sorted() {
            problems.append("extra key \"\(key)\" (not in \(defaultLocale))")
        }
        for key in keys.sorted() {
            problems += patternProblems(key, in: locale, own[key], reference: locale == defaultLocale ? nil : reference[key])
        }
        return problems
    }

    /// What is wrong with one pattern: compile errors, argument names, plural coverage, bidi.
    private func patternProblems(_ key: String, in locale: String, _ compiled: Compiled?, reference: Compiled?) -> [String] {
        var problems: [String] = []
        let controls = (patterns[locale]?[key] ?? "").unicodeScalars.filter(BidiControls.isExplicitControl)
        if !controls.isEmpty {
            let names = controls.map { "U+" + String($0.value, radix: 16, uppercase: true) }
            problems.append("\"\(key)\": stray bidi control \(names.joined(separator: " ")) in the pattern")
        }
        switch compiled {
        case .failure(let failure):
            let place = failure.offset.map { " at offset \($0)" } ?? ""
            problems.append("\"\(key)\": pattern does not compile (\(failure.error.name)\(place))")
        case .success(let format):
            if case .success(let expected) = reference, expected.argumentNames != format.argumentNames {
                problems.append(
                    "\"\(key)\": arguments [\(format.argumentNames.joined(separator: ", "))] differ from "
                        + "\(defaultLocale) [\(expected.argumentNames.joined(separator: ", "))]")
            }
            for plural in format.plurals {
                if !plural.missing.isEmpty {
                    problems.append(
                        "\"\(key)\": plural \"\(plural.name)\" lacks CLDR categories of \(locale): "
                            + plural.missing.joined(separator: ", "))
                }
                if !plural.unused.isEmpty {
                    problems.append(
                        "\"\(key)\": plural \"\(plural.name)\" has branches that are not categories of \(locale): "
                            + plural.unused.joined(separator: ", "))
                }
            }
        case nil:
            break
        }
        return problems
    }
}
