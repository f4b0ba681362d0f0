import Foundation
import GRDB
import JembatanCore

/// How values are written to and read from columns, in one place so reads and writes agree.
enum Columns {
    /// Whole epoch milliseconds. A date built from whole milliseconds can sit a hair below
    /// them in binary, so a value within a microsecond of a millisecond keeps that
    /// millisecond; anything else is floored, as ``Timestamp/format(_:)`` shows it.
    static func millis(_ date: Date) -> Int64 {
        let exact = date.timeIntervalSince1970 * 1000
        let nearest = exact.rounded()
        return Int64(abs(exact - nearest) < 0.001 ? nearest : exact.rounded(.down))
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    static func langs(_ langs: [String]) -> String {
        JSONWriter.string(.array(langs.map(JSONValue.string)))
    }

    static func templateArgs(_ args: JSONObject?) -> String? {
        args.map { JSONWriter.string(.object($0)) }
    }

    /// A template message's texts by locale, as JSON (nil when none).
    static func shown(_ texts: [String: String]?) -> String? {
        texts.map { JSONWriter.string(.object(JSONObject($0.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))) }
    }

    static func shown(_ text: String?) -> [String: String]? {
        guard let text, let object = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return nil }
        return object
    }
}

/// A stored row that does not decode. Names the column, never its content.
struct UnreadableRow: Error, CustomStringConvertible {
    var column: String
    var description: String { "unreadable stored value in column \(column)" }
}

/// Decoding rows into the core's records. Every function names the columns it expects; the
/// queries in `SQLiteStore+Reads.swift` select them.
enum Rows {
    static func date(_ row: Row, _ column: String) -> Date {
        Columns.date(row[column])
    }

    static func optionalDate(_ row: Row, _ column: String) -> Date? {
        (row[column] as Int64?).map(Columns.date)
    }

    static func value<T: RawRepresentable>(_ type: T.Type, _ row: Row, _ column: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: row[column]) else { throw UnreadableRow(column: column) }
        return value
    }

    static func langs(_ row: Row, _ column: String) throws -> [String] {
        guard let text: String = row[column] else { return [] }
        guard let langs = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw UnreadableRow(column: column)
        }
        return langs
    }

    static func templateArgs(_ row: Row, _ column: String) throws -> JSONObject? {
        guard let text: String = row[column] else { return nil }
        // Foundation's decoder sorts object keys on the way back; the pairs are the same.
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
            let object = value.objectValue
        else { throw UnreadableRow(column: column) }
        return object
    }

    /// Columns: `messages.*` and `sender_name`.
    static func message(_ row: Row) throws -> StoredMessage {
        let kind = try value(MessageKind.self, row, "kind")
        let message = NewMessage(
            session: SessionID(row["session_id"] as String),
            sender: (row["sender_id"] as String?).map(ParticipantID.init(rawValue:)),
            senderRole: try value(Role.self, row, "sender_role"),
            kind: kind,
            text: row["text"],
            templateKey: row["template_key"],
            templateArgs: try templateArgs(row, "template_args"),
            dir: row["dir"],
            lang: row["lang"],
            clientMessageID: (row["client_msg_id"] as String?).map(ClientMessageID.init(rawValue:)),
            replyTo: row["reply_to"],
            translationOf: row["translation_of"],
            createdAt: date(row, "created_at"),
            staffOnly: (row["visibility"] as String?) == "staff",
            shown: Columns.shown(row["shown"] as String?))
        let name: String? = kind == .system ? nil : row["sender_name"]
        return StoredMessage(seq: row["seq"], message: message, senderName: name)
    }

    /// Columns: `sessions.*`.
    static func session(_ row: Row) throws -> SessionRecord {
        SessionRecord(
            id: SessionID(row["id"] as String),
            ticket: (row["ticket_id"] as String?).map(TicketID.init(rawValue:)),
            service: try value(Service.self, row, "service"),
            language: row["language"],
            state: try value(SessionState.self, row, "state"),
            openedAt: date(row, "opened_at"),
            closedAt: optionalDate(row, "closed_at"),
            closeReason: row["close_reason"],
            lastSeq: row["last_seq"])
    }

    /// Columns: `tickets.*`.
    static func ticket(_ row: Row) throws -> TicketRecord {
        TicketRecord(
            id: TicketID(row["id"] as String),
            applicant: ParticipantID(row["applicant_id"] as String),
            service: try value(Service.self, row, "service"),
            language: row["language"],
            note: row["note"],
            priority: row["priority"],
            createdAt: date(row, "created_at"),
            state: try value(TicketState.self, row, "state"),
            role: try (row["role"] as String?).map { _ in try value(Role.self, row, "role") },
            session: (row["session_id"] as String?).map(SessionID.init(rawValue:)),
            leftMessage: leftMessage(row),
            pairLanguage: row["pair_language"],
            shareHistory: (row["share_history"] as Int?) != 0,
            complaintCase: row["complaint_case"],
            excludedStaff: (row["excluded_staff"] as String?).map(ParticipantID.init(rawValue:)))
    }

    private static func leftMessage(_ row: Row) -> LeftMessage? {
        guard let text = row["left_text"] as String?, let at = optionalDate(row, "left_at") else { return nil }
        return LeftMessage(text: text, dir: (row["left_dir"] as String?) ?? "ltr", at: at)
    }

    /// Columns: `participant_id`, `role`, `joined_at`, `left_at` of `session_participants`
    /// and `name`, `langs` of `participants`.
    static func member(_ row: Row) throws -> SessionMember {
        var member = SessionMember(
            id: ParticipantID(row["participant_id"] as String),
            role: try value(Role.self, row, "role"),
            name: (row["name"] as String?) ?? "",
            langs: try langs(row, "langs"),
            joinedAt: date(row, "joined_at"),
            leftAt: optionalDate(row, "left_at"),
            visibleFromSeq: row["visible_from_seq"])
        member.lastReadSeq = (row["last_read_seq"] as Int?) ?? 0
        return member
    }
}
