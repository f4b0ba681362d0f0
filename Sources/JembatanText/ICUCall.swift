internal import CICU

/// A failure reported by ICU through the CICU facade: the UErrorCode value and its name.
///
/// Internal: every public entry point of this module turns ICU failures into its own
/// outcome (a fallback text, a report line), so callers never see ICU codes.
struct ICUError: Error, Equatable, Sendable, CustomStringConvertible {
    var code: Int32

    /// ICU's name for the code, such as "U_PATTERN_SYNTAX_ERROR".
    var name: String { String(cString: cicu_error_name(code)) }
    var description: String { name }

    /// ICU's rule: zero is success, negative values are warnings, positive ones failures.
    static func check(_ status: Int32) throws(ICUError) {
        if status > CICU_ZERO_ERROR { throw ICUError(code: status) }
    }
}

/// The one place that speaks ICU's calling conventions: status checks and buffer pre-flight.
enum ICUCall {
    /// A function that fills `dest` (of `capacity` units), sets `status` and returns the
    /// length it needs — the shape of every CICU buffer function.
    typealias Filler<Unit> = (_ dest: UnsafeMutablePointer<Unit>?, _ capacity: Int32, _ status: inout Int32) -> Int32

    /// Calls `fill` with a buffer of `capacity` units; on U_BUFFER_OVERFLOW_ERROR calls it once
    /// more with the exact length ICU asked for. Returns the units written.
    static func units<Unit: FixedWidthInteger>(capacity: Int, _ fill: Filler<Unit>) throws(ICUError) -> [Unit] {
        var capacity = max(capacity, 1)
        for _ in 0..<2 {
            var status = CICU_ZERO_ERROR
            var needed: Int32 = 0
            let buffer = [Unit](unsafeUninitializedCapacity: capacity) { storage, initialized in
                needed = fill(storage.baseAddress, Int32(storage.count), &status)
                initialized = status > CICU_ZERO_ERROR ? 0 : min(Int(needed), storage.count)
            }
            if status == CICU_BUFFER_OVERFLOW_ERROR, Int(needed) > capacity {
                capacity = Int(needed)
                continue
            }
            try ICUError.check(status)
            return buffer
        }
        throw ICUError(code: CICU_BUFFER_OVERFLOW_ERROR)
    }

    /// A UTF-16 result as a String. `hint` is the expected length, which saves the second call
    /// in the common case.
    static func string(hint: Int, _ fill: Filler<UInt16>) throws(ICUError) -> String {
        String(decoding: try units(capacity: hint, fill), as: UTF16.self)
    }

    /// A char result (locale IDs, argument names: ASCII or UTF-8) as a String.
    static func cString(hint: Int = 32, _ fill: Filler<CChar>) throws(ICUError) -> String {
        let bytes = try units(capacity: hint, fill)
        return String(decoding: bytes.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Calls `body` with the UTF-16 code units of `text`, the form every ICU text API takes.
    /// Transcoded by ICU into a temporary allocation: `Array(text.utf16)` went through Swift's
    /// generic sequence copy, ~2,400 instructions for a short message, three times a message.
    static func withUTF16<R, E: Error>(_ text: String, _ body: (UnsafePointer<UInt16>?, Int32) throws(E) -> R) throws(E) -> R {
        var text = text
        let units: Result<R, E>? = text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: max(bytes.count, 1)) { buffer in
                var status = CICU_ZERO_ERROR
                let length = bytes.withMemoryRebound(to: CChar.self) { utf8 in
                    cicu_utf16_from_utf8(utf8.baseAddress, Int32(utf8.count), buffer.baseAddress, Int32(buffer.count), &status)
                }
                // A Swift string is valid UTF-8, so ICU cannot fail here but for a broken build.
                guard status <= CICU_ZERO_ERROR else { return nil }
                do throws(E) {
                    return .success(try body(UnsafePointer(buffer.baseAddress), length))
                } catch {
                    return .failure(error)
                }
            }
        }
        if let units { return try units.get() }
        let copied = Array(text.utf16)
        return try copied.withUnsafeBufferPointer { buffer throws(E) in try body(buffer.baseAddress, Int32(buffer.count)) }
    }
}
