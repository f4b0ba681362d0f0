import Foundation
import JembatanCore
import Testing

/// The frame parser against RFC 8259, and against Foundation's `JSONSerialization` on the same
/// inputs: both accept the same texts and read the same values.
@Suite struct JSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONParser.parse(Array(#" {"b": [1, -2.5, 3e2, true, false, null], "a": "x\"\\\/\n\u00e9\ud83d\ude00"} "#.utf8))
        let expected: JSONValue = .object([
            "a": .string("x\"\\/\né😀"), "b": .array([1, .number(-2.5), .number(300), true, false, .null]),
        ])
        #expect(value == expected)
    }

    @Test func keysComeOutSortedAndARepeatedKeyKeepsItsLastValue() throws {
        let value = try JSONParser.parse(Array(#"{"type":"send","id":"1","id":"2"}"#.utf8))
        #expect(value.objectValue?.keys == ["id", "type"])
        #expect(value.objectValue?["id"] == "2")
    }

    static let invalid = [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "+1", "1e", "1e+", "tru", "nul",
        "\"open", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "[1] 2", "1e999",
        "{\"a\":1}}", "[\"\u{0}\"]", "// x\n1", "'a'", "NaN", "[1 2]",
    ]

    /// Foundation on Linux lets these through; RFC 8259 does not.
    static let trailingCommas = ["[1,]", "{\"a\":1,}"]

    @Test(arguments: invalid) func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
        if !Self.trailingCommas.contains(text) {
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) == nil)
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // an encoded surrogate
        let deep = String(repeating: "[", count: JSONParser.maxDepth + 1) + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect((try? JSONParser.parse(Array(allowed.utf8))) != nil)
    }

    static let valid = [
        "0", "-0", "12345678901234567890", "1.5e-3", "-12.25E+2", "9007199254740993", "\"\"", "[]", "{}", "[[[]]]",
        "{\"k\":{\"k\":[{}, [], \"\\u0000\"]}}", "\"ليلى 护照 ✓\"", " \t\r\n[ 1 , \"a\" ] \n",
    ]

    @Test(arguments: valid) func readsWhatFoundationReads(_ text: String) throws {
        let ours = try JSONParser.parse(Array(text.utf8))
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
        #expect(Self.same(ours, theirs))
    }

    /// Compares with Foundation's `Any` tree; numbers as doubles (both round the same way).
    static func same(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: return other is NSNull
        case .bool(let b): return (other as? Bool) == b
        case .number(let n): return (other as? NSNumber)?.doubleValue == n
        case .string(let s): return (other as? String) == s
        case .array(let items):
            guard let others = other as? [Any], others.count == items.count else { return false }
            return zip(items, others).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let others = other as? [String: Any], others.count == object.pairs.count else { return false }
            return object.pairs.allSatisfy { key, item in others[key].map { same(item, $0) } ?? false }
        }
    }
}
