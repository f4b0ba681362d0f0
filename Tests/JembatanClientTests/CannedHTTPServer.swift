import Foundation

@testable import JembatanClient

/// A one-shot TCP server on 127.0.0.1 that reads one request and answers with fixed bytes:
/// lets the HTTP client be tested against framings lws would not produce on demand
/// (chunked with extensions and trailers, no length, 1xx first).
final class CannedHTTPServer: @unchecked Sendable {
    // Safe: `request` is written by the server thread and read after `done` under `lock`.
    let port: Int
    private let listener: Int32
    private let lock = ConditionLock()
    private var request: [UInt8] = []
    private var done = false

    init(response: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 4) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw ClientError.connectFailed("canned server") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let bytes = Array(response.utf8)
        let thread = Thread { [self] in serve(listener, bytes) }
        thread.start()
    }

    /// The raw request the server received (waits for it).
    func receivedRequest() -> String {
        lock.withLock {
            while !done { _ = lock.wait(untilNanoseconds: .max) }
            return String(decoding: request, as: UTF8.self)
        }
    }

    private func serve(_ listener: Int32, _ response: [UInt8]) {
        let connection = accept(listener, nil, nil)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Read the head, then as much body as Content-Length announces.
        while connection >= 0 {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, 4096, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            guard let headEnd = text.range(of: "\r\n\r\n") else { continue }
            let head = text[..<headEnd.lowerBound].lowercased()
            let announced =
                head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
            if text.utf8.count - text.utf8.distance(from: text.startIndex, to: headEnd.upperBound) >= announced { break }
        }
        if connection >= 0 {
            _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
        close(listener)
        lock.withLock {
            request = received
            done = true
            lock.broadcast()
        }
    }
}
