import CHiredis

/// A Redis reply copied out of hiredis' reply tree, so it outlives `freeReplyObject`.
enum RedisValue: Equatable {
    case bytes([UInt8])
    case array([RedisValue])
    case integer(Int64)
    case status(String)
    /// An error reply. Its text is dropped: Redis may quote the command's arguments in it,
    /// and those can be message content.
    case error
    case null

    init(_ reply: UnsafeMutablePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            self = .bytes(Self.bytes(node))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(node), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(node.integer)
        case REDIS_REPLY_ARRAY:
            self = .array((0..<node.elements).compactMap { node.element[$0].map(RedisValue.init) })
        case REDIS_REPLY_ERROR:
            self = .error
        default:
            self = .null
        }
    }

    private static func bytes(_ node: redisReply) -> [UInt8] {
        guard let str = node.str, node.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: str, count: node.len))
    }
}
