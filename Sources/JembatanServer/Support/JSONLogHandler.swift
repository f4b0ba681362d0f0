import Foundation
import Logging

/// A swift-log handler writing one JSON object a line (`--log-format json`), for journald,
/// a log shipper or `jq`: `timestamp` (ISO 8601, UTC, milliseconds), `level`, `label`,
/// `message`, and `metadata` as an object of strings (nested lists and dictionaries kept as
/// such). JSONSerialization encodes it, so a quote or newline in any field cannot break the
/// line. What is logged is the callers' business: the broker logs ids, sizes and codes, never
/// message text, names or tokens.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable ([UInt8]) -> Void

    /// - Parameter write: takes each encoded line, newline included; standard error by default.
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable ([UInt8]) -> Void = JSONLogHandler.writeToStandardError
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        write(
            Self.line(
                timestamp: Date(), level: event.level, label: label, message: event.message.description, metadata: merged,
                error: event.error))
    }

    /// One entry, encoded: keys sorted, so equal entries give equal lines.
    static func line(
        timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, error: (any Error)? = nil
    ) -> [UInt8] {
        var object: [String: Any] = [
            "timestamp": timestamp.formatted(timestampStyle), "level": level.rawValue, "label": label, "message": message,
        ]
        if !metadata.isEmpty { object["metadata"] = metadata.mapValues(Self.json) }
        if let error { object["error"] = String(describing: error) }
        // Only strings, arrays and dictionaries of them: this cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    /// Whole lines to standard error, one writer at a time so lines from several threads
    /// never interleave.
    @Sendable public static func writeToStandardError(_ line: [UInt8]) {
        // A closed standard error loses the line; it must not stop the broker.
        outputLock.withLock { try? FileHandle.standardError.write(contentsOf: line) }
    }

    private static let outputLock = Lock()
}
