#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking-style TCP connection on a non-blocking socket, every operation bounded by one
/// deadline (poll() before each read and write). Plain POSIX: the HTTP client needs no lws.
struct HTTPSocket: ~Copyable {
    private let fd: Int32
    private let deadline: UInt64

    /// Connects to the first address of `host:port` that accepts.
    init(host: String, port: Int, deadline: UInt64) throws {
        self.deadline = deadline
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw ClientError.connectFailed(String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = errno; continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let connected: Bool
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                connected = true
            } else if errno == EINPROGRESS {
                connected = Self.finishConnect(fd, deadline: deadline, error: &lastError)
            } else {
                lastError = errno
                connected = false
            }
            if connected {
                self.fd = fd
                return
            }
            close(fd)
            if lastError == ETIMEDOUT { throw ClientError.timeout("connect") }
        }
        throw ClientError.connectFailed(String(cString: strerror(lastError)))
    }

    deinit { close(fd) }

    private static func finishConnect(_ fd: Int32, deadline: UInt64, error: inout Int32) -> Bool {
        guard waitFor(fd, events: Int16(POLLOUT), deadline: deadline) else {
            error = ETIMEDOUT
            return false
        }
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size)
        error = code
        return code == 0
    }

    /// Waits until `fd` is ready; false when the deadline passed.
    private static func waitFor(_ fd: Int32, events: Int16, deadline: UInt64) -> Bool {
        while true {
            let now = monotonicNanoseconds()
            guard now < deadline else { return false }
            let milliseconds = Int32(min((deadline - now) / 1_000_000 + 1, 60_000))
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // let read/write report the error
        }
    }

    func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard Self.waitFor(fd, events: Int16(POLLOUT), deadline: deadline) else {
                    throw ClientError.timeout("sending request")
                }
            } else {
                throw ClientError.connectFailed(String(cString: strerror(errno)))
            }
        }
    }

    /// Up to `maximum` bytes; an empty array at end of stream.
    func read(maximum: Int = 65_536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maximum, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw ClientError.invalidResponse(String(cString: strerror(errno)))
            }
            guard Self.waitFor(fd, events: Int16(POLLIN), deadline: deadline) else {
                throw ClientError.timeout("waiting for response")
            }
        }
    }
}
