import Foundation
import GRDB
import JembatanCore

/// The writing commands. Each runs inside its own savepoint (see ``SQLiteStore/perform(_:)``):
/// throwing a ``StoreFailure`` rolls back whatever the command had written.
extension SQLiteStore {
    static func perform(_ command: StoreCommand, _ db: Database, _ memo: inout WriterMemo) throws -> StoreResult {
        memo.forget(before: command)
        switch command {
        case .saveParticipant(let identity):
            try saveParticipant(identity, db)
            return .done
        case .openTicket(let ticket):
            try openTicket(ticket, db)
            return .done
        case .updateTicket(let id, let state):
            try setTicketState(id, state, at: Date(), db)
            return .done
        case .leaveMessage(let id, let left):
            try db.executeCached(
                sql: "UPDATE tickets SET left_text = ?, left_dir = ?, left_at = ?, updated_at = ? WHERE id = ? AND state = ?",
                arguments: [
                    left.text, left.dir, Columns.millis(left.at), Columns.millis(left.at), id.rawValue, TicketState.queued.rawValue,
                ])
            guard db.changesCount > 0 else { throw StoreFailure(.notFound, "no queued ticket \(id)") }
            return .done
        case .changeMembers(let change):
            return .membersChanged(try changeMembers(change, db))
        case .openComplaint(let ticket, let answerBy, let continuing):
            return .complaint(try openComplaint(ticket, answerBy: answerBy, continuing: continuing, db))
        case .updateComplaint(let number, let status, let by, let at):
            return .complaint(try updateComplaint(number, status, by: by, at: at, db))
        case .submitFeedback(let session, let applicant, let rating, let comment, let at, let window):
            try submitFeedback(session, applicant: applicant, rating: rating, comment: comment, at: at, window: window, db)
            return .done
        case .stats(let query):
            return .stats(try stats(query, db))
        case .setOutcome(let id, let by, let code, let followUp, let at):
            try setOutcome(id, by: by, code: code, followUp: followUp, at: at, db)
            return .done
        case .markRead(let id, let participant, let seq):
            try db.executeCached(
                sql: "UPDATE session_participants SET last_read_seq = MAX(last_read_seq, ?) WHERE session_id = ? AND participant_id = ?",
                arguments: [seq, id.rawValue, participant.rawValue])
            return .done
        case .followUps(let staff, let dueBy):
            return .followUps(try followUps(staff: staff, dueBy: dueBy, db))
        case .notify(let record):
            return try notify(record, db)
        case .notificationsSeen(let applicant, let ids, let at):
            for id in ids {
                try db.executeCached(
                    sql: "UPDATE notifications SET seen_at = ? WHERE id = ? AND applicant_id = ? AND seen_at IS NULL",
                    arguments: [Columns.millis(at), id, applicant.rawValue])
            }
            return .done
        case .bookInterview(let interview):
            try bookInterview(interview, db)
            return .done
        case .cancelInterview(let id):
            try setInterview(id, .cancelled, session: nil, db)
            return .done
        case .openInterview(let id, let record, let members, let messages):
            // The session first (the interview points at it); a failure rolls both back.
            let opened = try openSession(record, members: members, messages: messages, db)
            try setInterview(id, .opened, session: record.id, db)
            return .sessionOpened(opened)
        case .openSession(let record, let members, let messages):
            return .sessionOpened(try openSession(record, members: members, messages: messages, db))
        case .append(let message):
            return try append(message, db, &memo)
        case .closeSession(let id, let reason, let message):
            return .sessionClosed(try closeSession(id, reason: reason, message: message, db))
        case .history(let id, let afterSeq, let limit):
            let (messages, more) = try history(id, afterSeq: afterSeq, limit: limit, db)
            return .history(messages, more: more)
        case .transcript(let id):
            return .transcript(try transcript(id, db))
        case .people(let reader):
            return .people(try people(reader: reader, db))
        case .purge(let closedBefore):
            return .purged(try purge(closedBefore: closedBefore, db))
        case .search(let query, let reader, let limit):
            return .found(try search(query, reader: reader, limit: limit, db))
        case .audit(let actor, let action, let subject, let address):
            try db.executeCached(
                sql: "INSERT INTO audit_log (at, actor_id, action, subject, client_address) VALUES (?, ?, ?, ?, ?)",
                arguments: [Columns.millis(Date()), actor.rawValue, action, subject, address])
            return .done
        case .presence:
            // One node: everyone connected is connected here.
            return .done
        case .clusterSnapshot:
            throw StoreFailure(.unavailable, "the embedded store has no cluster")
        }
    }

    /// Upsert: the latest token wins. The commands carry no time, so `updated_at` is the
    /// store's clock; it is bookkeeping, never read back into a record.
    private static func saveParticipant(_ identity: Identity, _ db: Database) throws {
        try db.executeCached(
            sql: """
                INSERT INTO participants (id, role, name, langs, locale, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name,
                    langs = excluded.langs, locale = excluded.locale, updated_at = excluded.updated_at
                """,
            arguments: [
                identity.id.rawValue, identity.role.rawValue, identity.name, Columns.langs(identity.langs),
                identity.locale, Columns.millis(Date()),
            ])
    }

    static func openTicket(_ ticket: TicketRecord, _ db: Database) throws {
        try db.executeCached(
            sql: """
                INSERT INTO tickets (id, applicant_id, service, language, note, priority, state, created_at, updated_at,
                    role, session_id, left_text, left_dir, left_at, pair_language, share_history, complaint_case, excluded_staff)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                ticket.id.rawValue, ticket.applicant.rawValue, ticket.service.rawValue, ticket.language,
                ticket.note, ticket.priority, ticket.state.rawValue, Columns.millis(ticket.createdAt),
                Columns.millis(ticket.createdAt), ticket.role?.rawValue, ticket.session?.rawValue,
                ticket.leftMessage?.text, ticket.leftMessage?.dir, ticket.leftMessage.map { Columns.millis($0.at) },
                ticket.pairLanguage, ticket.shareHistory ? 1 : 0, ticket.complaintCase, ticket.excludedStaff?.rawValue,
            ])
    }

    /// A ticket leaving the queue no longer holds a left message: it is in the session now.
    private static func setTicketState(_ id: TicketID, _ state: TicketState, at date: Date, _ db: Database) throws {
        try db.executeCached(
            sql: "UPDATE tickets SET state = ?, updated_at = ?, left_text = NULL WHERE id = ?",
            arguments: [state.rawValue, Columns.millis(date), id.rawValue])
        guard db.changesCount > 0 else { throw StoreFailure(.notFound, "ticket \(id) not found") }
    }

    static func openSession(
        _ record: SessionRecord, members: [SessionMember], messages: [NewMessage], _ db: Database
    ) throws -> [StoredMessage] {
        guard messages.allSatisfy({ $0.session == record.id }) else {
            throw StoreFailure(.conflict, "opening messages name another session than \(record.id)")
        }
        if let ticket = record.ticket {
            try setTicketState(ticket, .assigned, at: record.openedAt, db)
        }
        // The record's last seq is not stored: the messages below give the session its own.
        try db.executeCached(
            sql: """
                INSERT INTO sessions (id, ticket_id, service, language, state, opened_at, closed_at, close_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.id.rawValue, record.ticket?.rawValue, record.service.rawValue, record.language,
                record.state.rawValue, Columns.millis(record.openedAt), record.closedAt.map(Columns.millis),
                record.closeReason,
            ])
        try insertMembers(record.id, members, db)
        var lastSeq = 0
        for message in messages {
            lastSeq = try insert(message, after: lastSeq, db)
        }
        return try storedMessages(record.id, afterSeq: 0, limit: lastSeq, db)
    }

    private static func insertMembers(_ session: SessionID, _ members: [SessionMember], _ db: Database) throws {
        for member in members {
            // A member the store has never seen still needs a name row for transcripts; one it
            // knows keeps the name its own token gave (the core may only have a placeholder).
            try db.executeCached(
                sql: """
                    INSERT INTO participants (id, role, name, langs, locale, updated_at) VALUES (?, ?, ?, ?, NULL, ?)
                    ON CONFLICT (id) DO NOTHING
                    """,
                arguments: [
                    member.id.rawValue, member.role.rawValue, member.name, Columns.langs(member.langs),
                    Columns.millis(member.joinedAt),
                ])
            try db.executeCached(
                sql: """
                    INSERT INTO session_participants (session_id, participant_id, role, joined_at, left_at, visible_from_seq)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.rawValue, member.id.rawValue, member.role.rawValue, Columns.millis(member.joinedAt),
                    member.leftAt.map(Columns.millis), member.visibleFromSeq,
                ])
        }
    }

    /// Leavers get `left_at`; joiners a row (someone who left and comes back: their row again).
    private static func changeMembers(_ change: MemberChange, _ db: Database) throws -> [StoredMessage] {
        let id = change.session
        guard let (state, lastSeq) = try sessionState(id, db) else { throw StoreFailure(.notFound, "session \(id) not found") }
        guard state == .active else { throw StoreFailure(.conflict, "session \(id) is closed") }
        guard change.messages.allSatisfy({ $0.session == id }) else {
            throw StoreFailure(.conflict, "member change messages name another session than \(id)")
        }
        let at = change.messages.first?.createdAt ?? Date()
        for leaver in change.leaving {
            try db.executeCached(
                sql: "UPDATE session_participants SET left_at = ? WHERE session_id = ? AND participant_id = ? AND left_at IS NULL",
                arguments: [Columns.millis(at), id.rawValue, leaver.rawValue])
        }
        for member in change.joining {
            try db.executeCached(
                sql: "DELETE FROM session_participants WHERE session_id = ? AND participant_id = ?",
                arguments: [id.rawValue, member.id.rawValue])
        }
        let joining = change.joining.map { member in
            var member = member
            if change.hideEarlierHistory { member.visibleFromSeq = lastSeq + 1 }
            return member
        }
        try insertMembers(id, joining, db)
        if let ticket = change.assignTicket { try setTicketState(ticket, .assigned, at: at, db) }
        if let ticket = change.openTicket { try openTicket(ticket, db) }
        var seq = lastSeq
        for message in change.messages { seq = try insert(message, after: seq, db) }
        return try storedMessages(id, afterSeq: lastSeq, limit: seq - lastSeq, db)
    }

    /// Appends one message. A `client_msg_id` already stored in the session answers with the
    /// original even after the session closed: a client retrying an acknowledged message
    /// (ack lost on a flaky line) must get its ack, not an error. In an open session the
    /// memo finds a repeated id: it holds every client id of each session it knows, read
    /// once when it first meets the session.
    private static func append(_ message: NewMessage, _ db: Database, _ memo: inout WriterMemo) throws -> StoreResult {
        let id = message.session
        try refuseNUL(message)  // before any look-up by client id, which would match a truncated id
        let slot: WriterMemo.Slot
        if let known = memo.slot(of: id) {
            slot = known
        } else {
            guard let (state, lastSeq) = try sessionState(id, db) else {
                throw StoreFailure(.notFound, "session \(id) not found")
            }
            guard state == .active else {
                if let original = try original(of: message, db) { return .appended(original, duplicate: true) }
                throw StoreFailure(.conflict, "session \(id) is closed")
            }
            slot = memo.know(id, WriterMemo.KnownSession(lastSeq: lastSeq, clientIDs: try clientIDs(in: id, db)))
        }
        if let clientID = message.clientMessageID, let seq = memo.seq(of: clientID, at: slot) {
            return .appended(try original(seq, of: message, db), duplicate: true)
        }
        let seq = try nextSeq(message, after: memo.lastSeq(at: slot))
        try insertRow(message, seq: seq, try memo.statement(.insertMessage, db), db)
        memo.appended(at: slot, seq: seq, clientID: message.clientMessageID)
        return .appended(try justStored(message, seq: seq, db, &memo), duplicate: false)
    }

    /// Every client id the session holds, with its message's seq.
    private static func clientIDs(in id: SessionID, _ db: Database) throws -> [ClientMessageID: Int] {
        var found: [ClientMessageID: Int] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT client_msg_id, seq FROM messages WHERE session_id = ? AND client_msg_id IS NOT NULL"),
            arguments: [id.rawValue])
        while let row = try rows.next() { found[ClientMessageID(row[0] as String)] = row[1] }
        return found
    }

    /// The stored message with the same `client_msg_id` in the same session, if any.
    private static func original(of message: NewMessage, _ db: Database) throws -> StoredMessage? {
        guard let clientID = message.clientMessageID, let original = try storedMessage(message.session, clientMessageID: clientID, db)
        else { return nil }
        return try sameSender(original, message)
    }

    /// The stored message `seq`, which carried `message`'s client id.
    private static func original(_ seq: Int, of message: NewMessage, _ db: Database) throws -> StoredMessage {
        try sameSender(try storedMessage(message.session, seq: seq, db), message)
    }

    /// Someone else's key is not a retry; answering with their message would swallow this one.
    private static func sameSender(_ original: StoredMessage, _ message: NewMessage) throws -> StoredMessage {
        guard original.message.sender == message.sender else {
            throw StoreFailure(.conflict, "client_msg_id already used by another sender in session \(message.session)")
        }
        return original
    }

    /// The message as a read would return it. A plain text message is rebuilt here (its time
    /// rounded to the stored milliseconds, the sender's stored name) rather than read back,
    /// which cost ~15% of the broker's instructions per message; the rest is read back.
    private static func justStored(_ message: NewMessage, seq: Int, _ db: Database, _ memo: inout WriterMemo) throws -> StoredMessage {
        guard message.kind == .text, message.templateArgs == nil, message.shown == nil, let sender = message.sender else {
            return try storedMessage(message.session, seq: seq, db)
        }
        var stored = message
        stored.createdAt = Columns.date(Columns.millis(message.createdAt))
        if let name = memo.names[sender] { return StoredMessage(seq: seq, message: stored, senderName: name) }
        let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM participants WHERE id = ?"), arguments: [sender.rawValue])
        if let name { memo.name(name, of: sender) }
        return StoredMessage(seq: seq, message: stored, senderName: name)
    }

    private static func closeSession(
        _ id: SessionID, reason: String, message: NewMessage, _ db: Database
    ) throws -> StoredMessage {
        guard let (state, lastSeq) = try sessionState(id, db) else {
            throw StoreFailure(.notFound, "session \(id) not found")
        }
        guard message.session == id else {
            throw StoreFailure(.conflict, "closing message names another session than \(id)")
        }
        guard state == .active else { throw StoreFailure(.conflict, "session \(id) is closed") }
        let seq = try insert(message, after: lastSeq, db)
        try db.executeCached(
            sql: "UPDATE sessions SET state = ?, closed_at = ?, close_reason = ? WHERE id = ?",
            arguments: [SessionState.closed.rawValue, Columns.millis(message.createdAt), reason, id.rawValue])
        return try storedMessage(id, seq: seq, db)
    }

    /// Inserts `message` as `lastSeq + 1` and returns that seq. References must point at a
    /// message already in the session.
    private static func insert(_ message: NewMessage, after lastSeq: Int, _ db: Database) throws -> Int {
        // Client ids come with appends alone, which the memo checks for repeats.
        guard message.clientMessageID == nil else {
            throw StoreFailure(.conflict, "only an append may carry a client_msg_id")
        }
        let seq = try nextSeq(message, after: lastSeq)
        try insertRow(message, seq: seq, try db.cachedStatement(sql: WriteStatement.insertMessage.sql), db)
        return seq
    }

    private static func nextSeq(_ message: NewMessage, after lastSeq: Int) throws -> Int {
        try refuseNUL(message)
        for (name, reference) in [("reply_to", message.replyTo), ("translation_of", message.translationOf)] {
            if let reference, reference < 1 || reference > lastSeq {
                throw StoreFailure(.badReference, "\(name) \(reference) is not a message of session \(message.session)")
            }
        }
        return lastSeq + 1
    }

    private static func insertRow(_ message: NewMessage, seq: Int, _ statement: Statement, _ db: Database) throws {
        var insert = BoundStatement(statement, db)
        insert.bind(message.session.rawValue)
        insert.bind(seq)
        insert.bind(message.sender?.rawValue)
        insert.bind(message.senderRole.rawValue)
        insert.bind(message.kind.rawValue)
        insert.bind(message.text)
        insert.bind(message.templateKey)
        insert.bind(Columns.templateArgs(message.templateArgs))
        insert.bind(message.dir)
        insert.bind(message.lang)
        insert.bind(message.clientMessageID?.rawValue)
        insert.bind(message.replyTo)
        insert.bind(message.translationOf)
        insert.bind(Columns.millis(message.createdAt))
        insert.bind(message.staffOnly ? "staff" : nil)
        insert.bind(Columns.shown(message.shown))
        try insert.run()
    }

    /// GRDB binds strings up to their first NUL, so SQLite would keep a truncated text, and two
    /// client ids equal up to a NUL would look like one (PostgreSQL refuses NUL in text too).
    /// Refuse loudly rather than store other than what was sent; the sanitiser upstream is
    /// where NUL belongs stripped. `badReference` is the nearest kind: the broker answers it
    /// with `bad_request`.
    private static func refuseNUL(_ message: NewMessage) throws {
        if hasNUL(message.text) || hasNUL(message.clientMessageID?.rawValue) {
            throw StoreFailure(.badReference, "text or client_msg_id contains U+0000, which the store cannot keep")
        }
    }

    /// Scanned as one buffer: `utf8.contains` went a byte at a time through the generic view.
    private static func hasNUL(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? text.utf8.contains(0)
    }
}
