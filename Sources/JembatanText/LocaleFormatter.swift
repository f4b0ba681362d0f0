internal import CICU
import Foundation

/// Which digits numbers are written with. Arabic uses Arabic-Indic digits by default; many
/// Indonesian offices prefer Latin digits everywhere.
public enum DigitStyle: String, Sendable, CaseIterable {
    case native, latin

    /// The ICU locale ID for `locale` with this digit style.
    func localeID(_ locale: String) -> String {
        let base = ICULocale.canonicalID(locale) ?? locale
        return self == .latin ? base + "@numbers=latn" : base
    }
}

/// Numbers, dates and times through ICU for one locale, in an office's time zone
/// (Asia/Jakarta, Asia/Makassar or Asia/Jayapura in Indonesia).
public struct LocaleFormatter: Sendable {
    public enum Style: Int32, Sendable {
        case none = 0, short = 1, medium = 2, long = 3
    }

    public let locale: String
    public let digits: DigitStyle
    public let timeZone: String
    private let localeID: String

    public init(locale: String, digits: DigitStyle = .native, timeZone: String = "Asia/Jakarta") {
        self.locale = locale
        self.digits = digits
        self.timeZone = timeZone
        self.localeID = digits.localeID(locale)
    }

    public func number(_ value: Double) -> String {
        let result = try? ICUCall.string(hint: 24) { dest, capacity, status in
            localeID.withCString { cicu_format_number($0, value, dest, capacity, &status) }
        }
        return result ?? String(value)
    }

    /// A duration in words, in whole hours and minutes ("1 jam, 5 menit", "5 minutes").
    public func duration(seconds: Int) -> String {
        let minutes = Int32(max(0, (seconds + 59) / 60))
        let result = try? ICUCall.string(hint: 32) { dest, capacity, status in
            localeID.withCString { cicu_format_duration($0, minutes, dest, capacity, &status) }
        }
        return result ?? "\(minutes) min"
    }

    public func date(_ date: Date, style: Style = .medium) -> String { format(date, date: style, time: .none) }
    public func time(_ date: Date, style: Style = .short) -> String { format(date, date: .none, time: style) }
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
        return result ?? ISO8601DateFormatter().string(from: date)
    }
}
