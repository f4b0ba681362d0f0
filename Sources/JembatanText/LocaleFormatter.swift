internal import CICU
import Foundation

/// Numbers, dates, times and durations through ICU for one locale, in an office's time zone
/// (Asia/Jakarta, Asia/Makassar or Asia/Jayapura in Indonesia).
///
/// Cheap to create and to copy: ICU's formatters are cached inside the facade, per locale,
/// zone and style, and shared safely between threads.
public struct LocaleFormatter: Sendable {
    /// ICU's date and time styles.
    public enum Style: Int32, Sendable {
        /// Leave this part out (a date without its time).
        case none = 0
        /// "05/12/26", "15.30".
        case short = 1
        /// "5 Des 2026", "Dec 5, 2026".
        case medium = 2
        /// "5 Desember 2026", "2026年12月5日".
        case long = 3
    }

    /// The locale as given ("id", "ar-EG", "zh-Hans").
    public let locale: String
    public let digits: DigitStyle
    /// The IANA time zone dates and times are shown in. ICU treats an unknown zone as GMT, so
    /// check configured zones with `isKnownTimeZone(_:)`.
    public let timeZone: String
    private let localeID: String

    /// - Parameters:
    ///   - locale: a BCP 47 tag or ICU locale ID.
    ///   - digits: `.latin` for Latin digits in every locale (Arabic's default is Arabic-Indic).
    ///   - timeZone: an IANA time zone ID.
    public init(locale: String, digits: DigitStyle = .native, timeZone: String = "Asia/Jakarta") {
        self.locale = locale
        self.digits = digits
        self.timeZone = timeZone
        self.localeID = digits.localeID(locale)
    }

    /// True when ICU knows `zone` as an IANA time zone ID (or a custom "GMT+07:00" one).
    /// Names are case-sensitive: "Asia/Jakarta", not "asia/jakarta".
    public static func isKnownTimeZone(_ zone: String) -> Bool {
        // ASCII, and no NUL: ICU would read "Asia/Jakarta\0x" as "Asia/Jakarta".
        guard zone.unicodeScalars.allSatisfy({ $0.isASCII && $0 != "\0" }) else { return false }
        return (try? ICUCall.cString { dest, capacity, status in cicu_time_zone_canonical(zone, dest, capacity, &status) })
            != nil
    }

    /// `value` with the locale's digits, grouping and decimal separator ("1.234,5" in `id`,
    /// "١٬٢٣٤" in `ar`).
    public func number(_ value: Double) -> String {
        let result = try? ICUCall.string(hint: 24) { dest, capacity, status in
            localeID.withCString { cicu_format_number($0, value, dest, capacity, &status) }
        }
        return result ?? String(value)
    }

    /// A duration in words, in whole hours and minutes with full unit names, rounded up to the
    /// minute: "5 minutes", "1 jam, 5 menit", "٥ دقائق", "1小时".
    public func duration(seconds: Int) -> String {
        let minutes = Int32(clamping: max(0, seconds / 60 + (seconds % 60 > 0 ? 1 : 0)))
        let result = try? ICUCall.string(hint: 32) { dest, capacity, status in
            localeID.withCString { cicu_format_duration($0, minutes, dest, capacity, &status) }
        }
        return result ?? "\(minutes) min"
    }

    /// The date alone: "Dec 5, 2026" (`.medium`, English), "5 Desember 2026" (`.long`, Indonesian).
    public func date(_ date: Date, style: Style = .medium) -> String { format(date, date: style, time: .none) }

    /// The time alone: "15.30" in Indonesian for 08:30 UTC in Asia/Jakarta.
    public func time(_ date: Date, style: Style = .short) -> String { format(date, date: .none, time: style) }

    /// Date and time together, in the locale's order and with its connecting words.
    public func dateTime(_ date: Date, dateStyle: Style = .medium, timeStyle: Style = .short) -> String {
        format(date, date: dateStyle, time: timeStyle)
    }

    private func format(_ date: Date, date dateStyle: Style, time timeStyle: Style) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let result = try? ICUCall.string(hint: 48) { dest, capacity, status in
            localeID.withCString { locale in
                timeZone.withCString { zone in
                    cicu_format_date(locale, zone, millis, dateStyle.rawValue, timeStyle.rawValue, dest, capacity, &status)
                }
            }
        }
        // Only an unknown zone or no memory gets here; an unambiguous UTC time beats nothing.
        return result ?? TemplateArgument.rfc3339(date)
    }
}
