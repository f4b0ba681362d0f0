/// Parses UTF-8 JSON (RFC 8259) into a ``JSONValue``, strictly: no trailing commas, comments,
/// lone surrogates, control characters in strings or invalid UTF-8; at most ``maxDepth``
/// levels of nesting. An object's keys come out sorted, and a repeated key keeps its last
/// value (as the broker has always read frames).
///
/// Every incoming frame goes through here. Foundation's `JSONDecoder` reaches a `JSONValue`
/// through `Decodable`, trying each type in turn and building an error for each miss: 7% of
/// the broker's time in the throughput scenario (README, "Where the time goes").
public struct JSONParser {
    public static let maxDepth = 64

    public struct Failure: Error, Equatable {
        /// Byte offset of the first thing that is not valid JSON.
        public let offset: Int
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var parser = JSONParser(buffer)
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw Failure(offset: parser.index) }
            return value
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private var failure: Failure { Failure(offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Failure(offset: index + offset) }
        index += count
        return value
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure }
        index += 1  // {
        // A list, sorted at the end: a dictionary hashed every key of every frame.
        var fields: [(String, JSONValue)] = []
        fields.reserveCapacity(8)
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure }
            index += 1
            fields.append((key, try value(depth: depth)))
            skipWhitespace()
            guard index < bytes.count else { throw failure }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(JSONObject(Self.sortedKeepingLast(fields)))
            } else {
                throw failure
            }
        }
    }

    /// Sorted by key; of a repeated key only the last value stays.
    private static func sortedKeepingLast(_ fields: [(String, JSONValue)]) -> [(String, JSONValue)] {
        // Ties broken by position, so the last of a repeated key sorts last.
        let order = fields.indices.sorted { fields[$0].0 == fields[$1].0 ? $0 < $1 : fields[$0].0 < fields[$1].0 }
        var sorted: [(String, JSONValue)] = []
        sorted.reserveCapacity(fields.count)
        for index in order {
            if let last = sorted.last, last.0 == fields[index].0 {
                sorted[sorted.count - 1] = fields[index]
            } else {
                sorted.append(fields[index])
            }
        }
        return sorted
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw failure }
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            } else {
                throw failure
            }
        }
    }

    /// A string from its opening quote. Runs without escapes are copied as they are, after
    /// checking they are valid UTF-8.
    private mutating func string() throws(Failure) -> String {
        index += 1  // "
        var start = index
        var escaped: [UInt8]?
        // Bytes seen so far OR'ed: ASCII needs no UTF-8 validation, which cost ~1,000
        // instructions a string however short.
        var seen: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if escaped == nil && seen < 0x80 { return String(decoding: run, as: UTF8.self) }
                guard var collected = escaped else { return try Self.text(run, at: start) }
                collected.append(contentsOf: run)
                return try Self.text(collected, at: start)
            case UInt8(ascii: "\\"):
                var collected = escaped ?? []
                collected.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                try escape(into: &collected)
                escaped = collected
                start = index
            case 0..<0x20:
                throw failure
            default:
                seen |= byte
                index += 1
            }
        }
        throw failure
    }

    private static func text(_ utf8: some Collection<UInt8>, at offset: Int) throws(Failure) -> String {
        guard let string = String(validating: utf8, as: UTF8.self) else { throw Failure(offset: offset) }
        return string
    }

    /// One escape sequence from its backslash, appended as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        guard index + 1 < bytes.count else { throw failure }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(letter)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure
                }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure }
            out.append(contentsOf: UTF8.encode(unicode)!)
        default:
            index -= 1
            throw failure
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; short integers without
    /// going through text.
    private mutating func number() throws(Failure) -> Double {
        let start = index
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure }
        var integer: Int64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else {
            while index < bytes.count && isDigit(bytes[index]) {
                if digits < 18 { integer = integer * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
        }
        var plain = digits <= 15
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            plain = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            plain = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if plain { return Double(bytes[start] == UInt8(ascii: "-") ? -integer : integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { throw Failure(offset: start) }
        return number
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
