import CHiredis
import Foundation

/// One blocking hiredis context. Not thread-safe: each connection is owned by one thread or
/// used under one lock, and freed by its owner (`close()`), never shared.
final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?

    private init(context: UnsafeMutablePointer<redisContext>) { self.context = context }

    deinit { close() }

    /// Connects within `connectTimeout`; socket reads and writes then time out after
    /// `commandTimeout`, and TCP keepalives are on.
    static func connect(to configuration: RedisBusConfiguration) -> Result<RedisConnection, RedisConnectionError> {
        guard
            let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port), makeTimeval(configuration.connectTimeout))
        else { return .failure(RedisConnectionError(code: REDIS_ERR_OOM, reason: "out of memory")) }
        if context.pointee.err != 0 {
            let error = RedisConnectionError(context)
            redisFree(context)
            return .failure(error)
        }
        let connection = RedisConnection(context: context)
        guard redisSetTimeout(context, makeTimeval(configuration.commandTimeout)) == REDIS_OK, redisEnableKeepAlive(context) == REDIS_OK
        else { return .failure(RedisConnectionError(context)) }
        return .success(connection)
    }

    /// The socket, for `poll`.
    var fileDescriptor: Int32 { context?.pointee.fd ?? -1 }

    /// What broke the connection, once something has.
    var error: RedisConnectionError? {
        guard let context else { return RedisConnectionError(code: REDIS_ERR_OTHER, reason: "closed") }
        return context.pointee.err == 0 ? nil : RedisConnectionError(context)
    }

    /// Sends one command and waits for its reply; `nil` when the connection failed (it is then
    /// unusable). Binary-safe: each argument goes with its length (`redisCommandArgv`).
    func command(_ arguments: [[UInt8]]) -> RedisValue? {
        guard let context else { return nil }
        let raw = withArgv(arguments) { redisCommandArgv(context, $0, $1, $2) }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return RedisValue(raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Queues a command in the output buffer without sending it (see `flush()`).
    func append(_ arguments: [[UInt8]]) -> Bool {
        guard let context else { return false }
        return withArgv(arguments) { redisAppendCommandArgv(context, $0, $1, $2) } == REDIS_OK
    }

    /// Writes the whole output buffer; `false` when the connection failed.
    func flush() -> Bool {
        guard let context else { return false }
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else { return false }
        }
        return true
    }

    /// Reads what the socket has (one `read`, so call it when `poll` said readable); `false`
    /// when the connection failed or the server closed it.
    func receive() -> Bool {
        guard let context else { return false }
        return redisBufferRead(context) == REDIS_OK
    }

    /// The next complete reply already read from the socket, without blocking.
    func nextReply() -> BufferedReply {
        guard let context else { return .failed }
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else { return .failed }
        guard let raw else { return .none }
        defer { freeReplyObject(raw) }
        return .reply(RedisValue(raw.assumingMemoryBound(to: redisReply.self)))
    }

    func close() {
        if let context { redisFree(context) }
        context = nil
    }

    enum BufferedReply {
        case reply(RedisValue)
        case none
        case failed
    }
}

/// Lays the arguments out in one buffer and passes hiredis the argv, lengths and count.
private func withArgv<T>(
    _ arguments: [[UInt8]], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
) -> T {
    let joined = arguments.flatMap { $0 }
    let lengths = arguments.map(\.count)
    return joined.withUnsafeBufferPointer { bytes in
        let base = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        var offset = 0
        var argv: [UnsafePointer<CChar>?] = []
        argv.reserveCapacity(arguments.count)
        for length in lengths {
            argv.append((base + offset).assumingMemoryBound(to: CChar.self))
            offset += length
        }
        return argv.withUnsafeMutableBufferPointer { argvBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                body(Int32(arguments.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
            }
        }
    }
}

private func makeTimeval(_ duration: Duration) -> timeval {
    let milliseconds = duration.milliseconds
    return Glibc.timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
}
