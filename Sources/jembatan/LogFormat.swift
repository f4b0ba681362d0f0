import ArgumentParser
import JembatanServer
import Logging

/// `--log-format`: swift-log's plain lines, or one JSON object a line for a log shipper.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// Sets every logger the process makes from now on; called once, first thing in `run()`.
    func bootstrap() {
        switch self {
        case .text: LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
    }
}
