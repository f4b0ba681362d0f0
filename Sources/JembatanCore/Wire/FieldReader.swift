/// Typed access to a decoded frame's fields, with errors that name the field but never
/// echo its content.
struct FieldReader {
    let object: JSONObject
    let requestID: String?

    func string(_ key: String) throws(FrameError) -> String {
        guard let value = object[key] else { throw missing(key) }
        guard case .string(let s) = value else { throw mistyped(key, "a string") }
        return s
    }

    func optionalString(_ key: String) throws(FrameError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let s) = value else { throw mistyped(key, "a string") }
        return s
    }

    func int(_ key: String) throws(FrameError) -> Int {
        guard let value = object[key] else { throw missing(key) }
        return try asInt(value, key)
    }

    func optionalInt(_ key: String) throws(FrameError) -> Int? {
        guard let value = object[key], value != .null else { return nil }
        return try asInt(value, key)
    }

    func bool(_ key: String) throws(FrameError) -> Bool {
        guard let value = object[key] else { throw missing(key) }
        guard case .bool(let b) = value else { throw mistyped(key, "a boolean") }
        return b
    }

    func optionalObject(_ key: String) throws(FrameError) -> JSONObject? {
        guard let value = object[key], value != .null else { return nil }
        guard case .object(let o) = value else { throw mistyped(key, "an object") }
        return o
    }

    func optionalArray(_ key: String) throws(FrameError) -> [JSONValue]? {
        guard let value = object[key], value != .null else { return nil }
        guard case .array(let a) = value else { throw mistyped(key, "an array") }
        return a
    }

    func oneOf<T: RawRepresentable>(_ key: String, _: T.Type) throws(FrameError) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try string(key)) else {
            throw FrameError(.bad_request, detail: "unknown value for '\(key)'", requestID: requestID)
        }
        return value
    }

    private func asInt(_ value: JSONValue, _ key: String) throws(FrameError) -> Int {
        guard case .number(let n) = value, n == n.rounded(), abs(n) < 1e15 else {
            throw mistyped(key, "an integer")
        }
        return Int(n)
    }

    func missing(_ key: String) -> FrameError {
        FrameError(.bad_request, detail: "missing field '\(key)'", requestID: requestID)
    }

    func mistyped(_ key: String, _ expected: String) -> FrameError {
        FrameError(.bad_request, detail: "field '\(key)' must be \(expected)", requestID: requestID)
    }
}
