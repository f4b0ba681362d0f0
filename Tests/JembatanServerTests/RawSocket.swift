import Foundation

/// A WebSocket client on a bare TCP socket with a tiny receive buffer, that reads only when
/// told to: the slow reader that libwebsockets' own client cannot imitate.
final class RawSocket {
    let fd: Int32

    init(port: Int, receiveBuffer: Int32 = 4096) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("raw connect failed") }
        write(
            Array(
                ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8))
        var header: [UInt8] = []
        while !header.ends(with: Array("\r\n\r\n".utf8)) {
            var byte: UInt8 = 0
            guard recv(fd, &byte, 1, 0) == 1 else { throw TestFailure("handshake failed") }
            header.append(byte)
        }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Sends one masked text frame (clients must mask).
    func sendText(_ text: String) {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let mask: [UInt8] = [1, 2, 3, 4]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        write(frame)
    }

    /// Reads until the server closes (close frame or EOF); returns the close code if one came.
    func drainUntilClosed(timeout: TimeInterval) -> (closed: Bool, code: UInt16?) {
        var timeoutValue = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeoutValue, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n == 0 { return (true, Self.closeCode(in: buffer)) }
            if n < 0 { continue }
            buffer += chunk[0..<n]
            if let code = Self.closeCode(in: buffer) { return (true, code) }
        }
        return (false, nil)
    }

    /// Walks unmasked server frames; the code of a close frame if the buffer holds one.
    static func closeCode(in buffer: [UInt8]) -> UInt16? {
        var index = 0
        while index + 2 <= buffer.count {
            let opcode = buffer[index] & 0x0F
            var length = Int(buffer[index + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard index + 4 <= buffer.count else { return nil }
                length = Int(buffer[index + 2]) << 8 | Int(buffer[index + 3])
                header = 4
            } else if length == 127 {
                guard index + 10 <= buffer.count else { return nil }
                length = (2..<10).reduce(0) { $0 << 8 | Int(buffer[index + $1]) }
                header = 10
            }
            guard index + header + length <= buffer.count else { return nil }
            if opcode == 0x8, length >= 2 {
                return UInt16(buffer[index + header]) << 8 | UInt16(buffer[index + header + 1])
            }
            index += header + length
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
