import Foundation

/// RFC 3339 UTC timestamps with milliseconds, as PROTOCOL.md writes them.
public enum Timestamp {
    /// Whole epoch milliseconds, as the stores keep them and `format` prints them. A date built
    /// from whole milliseconds can sit a hair below them in binary, so a value within a
    /// microsecond of a millisecond keeps that millisecond; anything else is floored.
    public static func millis(_ date: Date) -> Int64 {
        let exact = date.timeIntervalSince1970 * 1000
        let nearest = exact.rounded()
        return Int64(abs(exact - nearest) < 0.001 ? nearest : exact.rounded(.down))
    }

    public static func format(_ date: Date) -> String {
        let millis = millis(date)
        var seconds = time_t(millis.floorDivided(by: 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else { return "\(year)" + formatted(parts, millis).dropFirst(4) }
        return formatted(parts, millis)
    }

    /// Written digit by digit into 24 bytes: interpolating padded strings was a tenth of the
    /// service thread, as every ack and message carries a `ts` (README, "Load").
    private static func formatted(_ parts: tm, _ millis: Int64) -> String {
        let fields: [(value: Int, width: Int, separator: UInt8)] = [
            (abs(Int(parts.tm_year) + 1900) % 10_000, 4, UInt8(ascii: "-")), (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")),
            (Int(parts.tm_mday), 2, UInt8(ascii: "T")), (Int(parts.tm_hour), 2, UInt8(ascii: ":")),
            (Int(parts.tm_min), 2, UInt8(ascii: ":")), (Int(parts.tm_sec), 2, UInt8(ascii: ".")),
            (Int(millis - millis.floorDivided(by: 1000) * 1000), 3, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            for field in fields {
                var divisor = 1
                for _ in 1..<field.width { divisor *= 10 }
                while divisor > 0 {
                    buffer[index] = UInt8(ascii: "0") + UInt8(field.value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
                buffer[index] = field.separator
                index += 1
            }
            return index
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (dates before 1970 have negative millis).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
