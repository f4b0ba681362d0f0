import Foundation
import Logging
import Testing

@testable import JembatanServer

/// `--log-format json`: each entry one line that parses back to the same fields, whatever
/// characters the message and metadata hold.
@Suite struct JSONLogHandlerTests {
    @Test func entriesParseBackLineByLine() throws {
        let lines = Lines()
        var logger = Logger(label: "jembatan.test") { JSONLogHandler(label: $0, write: { lines.append($0) }) }
        logger[metadataKey: "node"] = "office-1"
        logger.info(
            "a \"quoted\"\nline\twith \\ and / and مرحبا",
            metadata: [
                "connection.id": "42", "port": .stringConvertible(8443), "hops": ["10.0.0.1", "10.0.0.2"],
                "nested": ["code": "4408", "control": "\u{1}\u{7f}"],
            ])
        logger.debug("below the level")
        logger.error("plain")

        let written = lines.all
        #expect(written.count == 2)
        for line in written {
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        }
        let first = try object(written[0])
        #expect(first["level"] as? String == "info")
        #expect(first["label"] as? String == "jembatan.test")
        #expect(first["message"] as? String == "a \"quoted\"\nline\twith \\ and / and مرحبا")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["node"] as? String == "office-1")
        #expect(metadata["connection.id"] as? String == "42")
        #expect(metadata["port"] as? String == "8443")
        #expect(metadata["hops"] as? [String] == ["10.0.0.1", "10.0.0.2"])
        #expect((metadata["nested"] as? [String: String]) == ["code": "4408", "control": "\u{1}\u{7f}"])
        let second = try object(written[1])
        #expect(second["level"] as? String == "error")
        #expect((second["metadata"] as? [String: Any])?["node"] as? String == "office-1")
    }

    @Test func timestampIsUTCWithMilliseconds() throws {
        let lines = Lines()
        let logger = Logger(label: "t") { JSONLogHandler(label: $0, write: { lines.append($0) }) }
        let before = Date()
        logger.notice("now")
        let stamp = try #require(try object(lines.all[0])["timestamp"] as? String)
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let parsed = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(stamp)
        #expect(abs(parsed.timeIntervalSince(before)) < 5)
    }

    @Test func laterMetadataWins() throws {
        let lines = Lines()
        let provider = Logger.MetadataProvider { ["request": "from-provider", "trace": "t-1"] }
        var logger = Logger(label: "t") { JSONLogHandler(label: $0, metadataProvider: provider, write: { lines.append($0) }) }
        logger[metadataKey: "request"] = "from-handler"
        logger[metadataKey: "kept"] = "yes"
        logger.warning("merged", metadata: ["trace": "from-event"])
        let metadata = try #require(try object(lines.all[0])["metadata"] as? [String: String])
        #expect(metadata == ["request": "from-provider", "trace": "from-event", "kept": "yes"])
    }

    @Test func equalEntriesGiveEqualLines() {
        let date = Date(timeIntervalSince1970: 1_800_000_000.25)
        let line = JSONLogHandler.line(timestamp: date, level: .info, label: "l", message: "m", metadata: ["b": "2", "a": "1"])
        #expect(
            String(decoding: line, as: UTF8.self)
                == #"{"label":"l","level":"info","message":"m","metadata":{"a":"1","b":"2"},"timestamp":"2027-01-15T08:00:00.250Z"}"#
                + "\n")
    }

    private func object(_ line: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }
}

/// What a handler wrote, from any thread.
private final class Lines: @unchecked Sendable {
    // Safe: `lines` is only touched under `lock`.
    private let lock = NSLock()
    private var lines: [[UInt8]] = []

    var all: [[UInt8]] { lock.withLock { lines } }

    func append(_ line: [UInt8]) { lock.withLock { lines.append(line) } }
}
