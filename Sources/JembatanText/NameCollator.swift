internal import CICU

/// Sorts names the way readers of a locale expect (ICU collation): Indonesian and English
/// alphabetically, Mandarin by pinyin, Arabic in its alphabet's order.
///
/// Cheap to create: the facade opens one ICU collator per locale and shares it under a lock.
public struct NameCollator: Sendable {
    /// The locale as given ("id", "zh-Hans").
    public let locale: String
    private let localeID: String

    public init(locale: String) {
        self.locale = locale
        self.localeID = ICULocale.canonicalID(locale) ?? locale
    }

    /// Negative, zero or positive, like `strcmp` (ICU's -1, 0 or 1).
    public func compare(_ a: String, _ b: String) -> Int {
        let result = ICUCall.withUTF16(a) { aUnits, aLength in
            ICUCall.withUTF16(b) { bUnits, bLength in
                var status = CICU_ZERO_ERROR
                return localeID.withCString { cicu_collate($0, aUnits, aLength, bUnits, bLength, &status) }
            }
        }
        return Int(result)
    }

    /// `names` in collation order. One sort key per name rather than a collation per
    /// comparison, so long lists cost n ICU calls, not n log n.
    public func sorted(_ names: [String]) -> [String] {
        names.map { (name: $0, key: sortKey($0)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.name)
    }

    /// ICU's sort key of `name`: bytewise order is collation order. Keys change with ICU
    /// versions, so they are for sorting in memory, not for storing.
    func sortKey(_ name: String) -> [UInt8] {
        let key = try? ICUCall.withUTF16(name) { units, length throws(ICUError) -> [UInt8] in
            try ICUCall.units(capacity: Int(length) * 4 + 16) { dest, capacity, status in
                localeID.withCString { cicu_collation_key($0, units, length, dest, capacity, &status) }
            }
        }
        // Only without memory: code point order, which at least is stable.
        return key ?? Array(name.utf8)
    }
}
