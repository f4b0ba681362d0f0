/// Field look-ups in the broker's compact JSON frames without parsing them: the generator
/// reads tens of thousands of frames a second on one thread, and a full parse of each would
/// make it, not the server, the bottleneck. The broker writes `type` first and no spaces.
enum JSONScan {
    /// The string value of the first `"key":"…"` in `bytes` (escapes are not decoded; the
    /// generator's own values contain none).
    static func string(_ key: StaticString, in bytes: [UInt8], from start: Int = 0) -> String? {
        guard let range = stringRange(key, in: bytes, from: start) else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// Where the first `"key":"…"` value lies in `bytes` (excluding the quotes).
    static func stringRange(_ key: StaticString, in bytes: [UInt8], from start: Int = 0) -> Range<Int>? {
        guard let valueStart = valueOffset(key, in: bytes, from: start), valueStart < bytes.count,
            bytes[valueStart] == UInt8(ascii: "\"")
        else { return nil }
        var end = valueStart + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        return end <= bytes.count ? (valueStart + 1)..<min(end, bytes.count) : nil
    }

    /// Whether the frame's `type` is exactly `type`.
    static func hasType(_ type: StaticString, _ bytes: [UInt8]) -> Bool {
        guard let range = stringRange("type", in: bytes) else { return false }
        return equal(bytes[range], type)
    }

    /// The offset just after `"key":` (the first byte of the value), or nil.
    static func valueOffset(_ key: StaticString, in bytes: [UInt8], from start: Int = 0) -> Int? {
        let needle = key.withUTF8Buffer { Array($0) }
        let count = needle.count
        var index = start
        while index + count + 3 <= bytes.count {
            if bytes[index] == UInt8(ascii: "\""), bytes[index + count + 1] == UInt8(ascii: "\""),
                bytes[index + count + 2] == UInt8(ascii: ":")
            {
                var same = true
                for offset in 0..<count where bytes[index + 1 + offset] != needle[offset] {
                    same = false
                    break
                }
                if same { return index + count + 3 }
            }
            index += 1
        }
        return nil
    }

    static func equal(_ slice: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        text.withUTF8Buffer { buffer in slice.elementsEqual(buffer) }
    }

    /// A decimal number at the start of `slice` (digits only), or nil.
    static func leadingNumber(_ slice: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        for byte in slice {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            value = value &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
