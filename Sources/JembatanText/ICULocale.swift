internal import CICU

/// ICU locale operations on ICU locale IDs ("zh_Hans_CN"), for negotiation and formatting.
enum ICULocale {
    /// The canonical ICU base name of a BCP 47 tag or ICU ID: CLDR aliases applied ("in" → "id"),
    /// keywords dropped. Nil when ICU cannot parse it.
    static func canonicalID(_ tag: String) -> String? {
        // ICU's tag parser takes ASCII; anything else is not a language tag.
        guard !tag.isEmpty, tag.utf8.count <= 128, tag.allSatisfy(\.isASCII) else { return nil }
        return try? ICUCall.cString { dest, capacity, status in cicu_locale_canonical(tag, dest, capacity, &status) }
    }

    /// The ID with likely subtags added ("zh_TW" → "zh_Hant_TW").
    static func maximized(_ localeID: String) -> String? {
        try? ICUCall.cString { dest, capacity, status in cicu_locale_maximize(localeID, dest, capacity, &status) }
    }

    /// The ID and its truncation parents, most specific first, without the root:
    /// "zh_Hant_TW", "zh_Hant", "zh".
    static func truncationChain(_ localeID: String) -> [String] {
        var chain: [String] = []
        var current: String? = localeID
        // Bounded: an ID has a handful of subtags, and a parent is always shorter.
        while let id = current, !id.isEmpty, chain.count < 8 {
            chain.append(id)
            current = parent(of: id).flatMap { $0.utf8.count < id.utf8.count ? $0 : nil }
        }
        return chain
    }

    /// The truncation parent ("zh_Hant" → "zh"; "zh" → "").
    private static func parent(of localeID: String) -> String? {
        try? ICUCall.cString(hint: localeID.utf8.count + 1) { dest, capacity, status in
            cicu_locale_parent(localeID, dest, capacity, &status)
        }
    }
}
