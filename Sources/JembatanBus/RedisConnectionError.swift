import CHiredis

/// Why a Redis connection failed: hiredis' error code and its text, which describes the
/// socket or protocol failure ("Connection refused") and never contains message content.
struct RedisConnectionError: Error, CustomStringConvertible {
    /// `REDIS_ERR_IO`, `REDIS_ERR_EOF`, `REDIS_ERR_PROTOCOL`, …
    let code: Int32
    let reason: String

    init(code: Int32, reason: String) {
        self.code = code
        self.reason = reason
    }

    init(_ context: UnsafeMutablePointer<redisContext>) {
        code = context.pointee.err
        reason = withUnsafeBytes(of: context.pointee.errstr) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    var description: String { "redis error \(code): \(reason)" }
}
