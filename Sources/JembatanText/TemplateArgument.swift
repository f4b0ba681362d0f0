import Foundation

/// A value for a named argument of a template: text, a number (which plural and number
/// arguments need) or an instant (for `{when, date, medium}` and `{when, time, short}`, shown
/// in the catalog's time zone).
///
/// JSON: a string, a number, or for an instant an object `{"date": "2026-12-05T08:30:00Z"}`
/// (RFC 3339, UTC, fractional seconds only when there are milliseconds). The object keeps an
/// instant apart from text on the way back from storage: a bare RFC 3339 string would decode
/// as `.string`, which a date argument refuses.
public enum TemplateArgument: Sendable, Hashable, Codable {
    case string(String)
    case number(Double)
    /// Shown through the pattern's date or time style; millisecond precision.
    case date(Date)

    private enum DateKey: String, CodingKey { case date }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            let object = try decoder.container(keyedBy: DateKey.self)
            let text = try object.decode(String.self, forKey: .date)
            guard let date = Self.date(rfc3339: text) else {
                throw DecodingError.dataCorruptedError(forKey: .date, in: object, debugDescription: "not an RFC 3339 date-time")
            }
            self = .date(date)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .number(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .date(let date):
            var object = encoder.container(keyedBy: DateKey.self)
            try object.encode(Self.rfc3339(date), forKey: .date)
        }
    }

    /// `date` in RFC 3339 UTC, with milliseconds only when it has some.
    static func rfc3339(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let whole = millis.truncatingRemainder(dividingBy: 1000) == 0
        let rounded = Date(timeIntervalSince1970: millis / 1000)
        return rounded.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole))
    }

    /// An RFC 3339 date-time ("Z" or a numeric offset, fractional seconds optional), or nil.
    public static func date(rfc3339 text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}

extension TemplateArgument: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// `["service": "Visa"]`
    public init(stringLiteral value: String) { self = .string(value) }
    /// `["position": 3]`
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `["rating": 4.5]`
    public init(floatLiteral value: Double) { self = .number(value) }
}
