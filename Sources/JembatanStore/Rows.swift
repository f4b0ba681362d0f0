import Foundation
import GRDB
import JembatanCore

/// How values are written to and read from columns, in one place so reads and writes agree.
package enum Columns {
    /// Whole epoch milliseconds (``Timestamp/millis(_:)``), as `ts` shows them.
    package static func millis(_ date: Date) -> Int64 {
        Timestamp.millis(date)
    }

    package static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    package static func langs(_ langs: [String]) -> String {
        JSONWriter.string(.array(langs.map(JSONValue.string)))
    }

    package static func templateArgs(_ args: JSONObject?) -> String? {
        args.map { JSONWriter.string(.object($0)) }
    }

    /// A template message's texts by locale, as JSON (nil when none).
    package static func shown(_ texts: [String: String]?) -> String? {
        texts.map { JSONWriter.string(.object(JSONObject($0.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))) }
    }

    static func shown(_ text: String?) -> [String: String]? {
        guard let text, let object = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return nil }
        return object
    }
}

/// A stored row that does not decode. Names the column, never its content.
package struct UnreadableRow: Error, CustomStringConvertible {
    package var column: String
    package var description: String { "unreadable stored value in column \(column)" }
}

/// A stored row as the decoders below read it: typed values by column name. GRDB's `Row` and
/// the PostgreSQL store's rows both provide it, so both stores decode records the same way.
package protocol StoredRow {
    func text(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int64?
}

extension StoredRow {
    package func requiredText(_ column: String) throws -> String {
        guard let value = try text(column) else { throw UnreadableRow(column: column) }
        return value
    }

    package func requiredInt(_ column: String) throws -> Int {
        guard let value = try integer(column) else { throw UnreadableRow(column: column) }
        return Int(value)
    }

    package func optionalInt(_ column: String) throws -> Int? {
        try integer(column).map(Int.init)
    }
}

extension Row: StoredRow {
    package func text(_ column: String) -> String? { self[column] }
    package func integer(_ column: String) -> Int64? { self[column] }
}

/// Decoding rows into the core's records. Every function names the columns it expects; the
/// queries in `SQLiteStore+Reads.swift` (and the PostgreSQL store's) select them.
package enum Rows {
    package static func date(_ row: some StoredRow, _ column: String) throws -> Date {
        guard let millis = try row.integer(column) else { throw UnreadableRow(column: column) }
        return Columns.date(millis)
    }

    package static func optionalDate(_ row: some StoredRow, _ column: String) throws -> Date? {
        try row.integer(column).map(Columns.date)
    }

    package static func value<T: RawRepresentable>(_ type: T.Type, _ row: some StoredRow, _ column: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: try row.requiredText(column)) else { throw UnreadableRow(column: column) }
        return value
    }

    package static func langs(_ row: some StoredRow, _ column: String) throws -> [String] {
        guard let text = try row.text(column) else { return [] }
        guard let langs = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw UnreadableRow(column: column)
        }
        return langs
    }

    package static func templateArgs(_ row: some StoredRow, _ column: String) throws -> JSONObject? {
        guard let text = try row.text(column) else { return nil }
        // Foundation's decoder sorts object keys on the way back; the pairs are the same.
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
            let object = value.objectValue
        else { throw UnreadableRow(column: column) }
        return object
    }

    /// Columns: `messages.*` and `sender_name`.
    package static func message(_ row: some StoredRow) throws -> StoredMessage {
        let kind = try value(MessageKind.self, row, "kind")
        let message = NewMessage(
            session: SessionID(try row.requiredText("session_id")),
            sender: try row.text("sender_id").map(ParticipantID.init(rawValue:)),
            senderRole: try value(Role.self, row, "sender_role"),
            kind: kind,
            text: try row.text("text"),
            templateKey: try row.text("template_key"),
            templateArgs: try templateArgs(row, "template_args"),
            dir: try row.text("dir"),
            lang: try row.text("lang"),
            clientMessageID: try row.text("client_msg_id").map(ClientMessageID.init(rawValue:)),
            replyTo: try row.optionalInt("reply_to"),
            translationOf: try row.optionalInt("translation_of"),
            createdAt: try date(row, "created_at"),
            staffOnly: try row.text("visibility") == "staff",
            shown: Columns.shown(try row.text("shown")))
        let name: String? = kind == .system ? nil : try row.text("sender_name")
        return StoredMessage(seq: try row.requiredInt("seq"), message: message, senderName: name)
    }

    /// Columns: `sessions.*`.
    package static func session(_ row: some StoredRow) throws -> SessionRecord {
        SessionRecord(
            id: SessionID(try row.requiredText("id")),
            ticket: try row.text("ticket_id").map(TicketID.init(rawValue:)),
            service: try value(Service.self, row, "service"),
            language: try row.requiredText("language"),
            state: try value(SessionState.self, row, "state"),
            openedAt: try date(row, "opened_at"),
            closedAt: try optionalDate(row, "closed_at"),
            closeReason: try row.text("close_reason"),
            lastSeq: try row.requiredInt("last_seq"))
    }

    /// Columns: `tickets.*`.
    package static func ticket(_ row: some StoredRow) throws -> TicketRecord {
        TicketRecord(
            id: TicketID(try row.requiredText("id")),
            applicant: ParticipantID(try row.requiredText("applicant_id")),
            service: try value(Service.self, row, "service"),
            language: try row.requiredText("language"),
            note: try row.text("note"),
            priority: try row.requiredInt("priority"),
            createdAt: try date(row, "created_at"),
            state: try value(TicketState.self, row, "state"),
            role: try row.text("role").map { _ in try value(Role.self, row, "role") },
            session: try row.text("session_id").map(SessionID.init(rawValue:)),
            leftMessage: try leftMessage(row),
            pairLanguage: try row.text("pair_language"),
            shareHistory: try row.optionalInt("share_history") != 0,
            complaintCase: try row.text("complaint_case"),
            excludedStaff: try row.text("excluded_staff").map(ParticipantID.init(rawValue:)))
    }

    private static func leftMessage(_ row: some StoredRow) throws -> LeftMessage? {
        guard let text = try row.text("left_text"), let at = try optionalDate(row, "left_at") else { return nil }
        return LeftMessage(text: text, dir: try row.text("left_dir") ?? "ltr", at: at)
    }

    /// Columns: `participant_id`, `role`, `joined_at`, `left_at` of `session_participants`
    /// and `name`, `langs` of `participants`.
    package static func member(_ row: some StoredRow) throws -> SessionMember {
        var member = SessionMember(
            id: ParticipantID(try row.requiredText("participant_id")),
            role: try value(Role.self, row, "role"),
            name: try row.text("name") ?? "",
            langs: try langs(row, "langs"),
            joinedAt: try date(row, "joined_at"),
            leftAt: try optionalDate(row, "left_at"),
            visibleFromSeq: try row.optionalInt("visible_from_seq"))
        member.lastReadSeq = try row.optionalInt("last_read_seq") ?? 0
        return member
    }
}

/// Records of the office tools, decoded the same way from either store.
extension Rows {
    /// Columns: `complaints.*`.
    package static func complaint(_ row: some StoredRow) throws -> ComplaintCase {
        ComplaintCase(
            number: try row.requiredText("number"), applicant: ParticipantID(try row.requiredText("applicant_id")),
            about: try row.text("about_id").map(ParticipantID.init(rawValue:)),
            status: try value(ComplaintStatus.self, row, "status"),
            answerBy: try row.requiredText("answer_by"), openedAt: try date(row, "opened_at"))
    }

    /// Columns: `id`, `follow_up`, `outcome`, `service`, `language` of `sessions`, and
    /// `applicant_id`, `applicant_name`.
    package static func followUp(_ row: some StoredRow) throws -> FollowUp {
        FollowUp(
            session: SessionID(try row.requiredText("id")), followUp: try row.requiredText("follow_up"),
            outcome: try row.text("outcome") ?? "other", service: try value(Service.self, row, "service"),
            language: try row.requiredText("language"), applicant: ParticipantID(try row.text("applicant_id") ?? ""),
            applicantName: try row.text("applicant_name") ?? "")
    }

    /// Columns: `id`, `role`, `name`, `langs` of `participants`; nil for a role this build
    /// does not know.
    package static func identity(_ row: some StoredRow) throws -> Identity? {
        guard let role = Role(rawValue: try row.requiredText("role")) else { return nil }
        return Identity(
            id: ParticipantID(try row.requiredText("id")), role: role, name: try row.requiredText("name"), langs: try langs(row, "langs"))
    }

    /// Columns: `interviews.*`.
    package static func interview(_ row: some StoredRow) throws -> InterviewRecord {
        let starts = try date(row, "starts_at")
        return InterviewRecord(
            id: InterviewID(try row.requiredText("id")), service: try value(Service.self, row, "service"),
            applicant: ParticipantID(try row.requiredText("applicant_id")), staff: ParticipantID(try row.requiredText("staff_id")),
            interpreter: ParticipantID(try row.requiredText("interpreter_id")),
            languages: [try row.requiredText("language_a"), try row.requiredText("language_b")],
            startsAt: starts, durationSeconds: Int(try date(row, "ends_at").timeIntervalSince(starts).rounded()),
            createdAt: try date(row, "created_at"))
    }

    /// Columns: `notifications.*`.
    package static func notification(_ row: some StoredRow) throws -> NotificationRecord {
        NotificationRecord(
            id: try row.requiredText("id"), applicant: ParticipantID(try row.requiredText("applicant_id")),
            key: try row.requiredText("template_key"), args: try templateArgs(row, "template_args") ?? [:],
            createdAt: try date(row, "created_at"))
    }

    /// Interpreters (the pool to book from) and the people of booked `interviews`, out of everyone.
    package static func bookingPool(_ people: [Identity], _ interviews: [InterviewRecord]) -> [Identity] {
        let ids = Set(interviews.flatMap { [$0.applicant, $0.staff, $0.interpreter] })
        return people.filter { $0.role == .interpreter || ids.contains($0.id) }
    }
}
