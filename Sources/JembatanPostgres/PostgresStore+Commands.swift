import Foundation
import JembatanCore
import JembatanStore
import PostgresNIO

/// The writing commands, as in the SQLite store (`SQLiteStore+Commands.swift`): a thrown
/// ``StoreFailure`` rolls back whatever the command had written.
extension PostgresStore {
    func perform(_ command: StoreCommand) throws -> StoreResult {
        switch command {
        case .saveParticipant(let identity):
            try saveParticipant(identity)
            return .done
        case .openTicket(let ticket):
            try openTicket(ticket)
            return .done
        case .updateTicket(let id, let state):
            try setTicketState(id, state, at: Date())
            return .done
        case .leaveMessage(let id, let left):
            let changed = try link.execute(
                "UPDATE tickets SET left_text = $1, left_dir = $2, left_at = $3, updated_at = $3 WHERE id = $4 AND state = $5",
                [.text(left.text), .text(left.dir), .int(Columns.millis(left.at)), .text(id.rawValue), .text(TicketState.queued.rawValue)])
            guard changed > 0 else { throw StoreFailure(.notFound, "no queued ticket \(id)") }
            return .done
        case .changeMembers(let change):
            return .membersChanged(try changeMembers(change))
        case .markRead(let id, let participant, let seq):
            try link.execute(
                "UPDATE session_participants SET last_read_seq = GREATEST(last_read_seq, $1) WHERE session_id = $2 AND participant_id = $3",
                [.int(seq), .text(id.rawValue), .text(participant.rawValue)])
            return .done
        case .notify(let record):
            return try notify(record)
        case .notificationsSeen(let applicant, let ids, let at):
            try link.execute(
                "UPDATE notifications SET seen_at = $1 WHERE id = ANY(string_to_array($2, chr(31))) AND applicant_id = $3 AND seen_at IS NULL",
                [.int(Columns.millis(at)), .text(ids.joined(separator: "\u{1F}")), .text(applicant.rawValue)])
            return .done
        case .openSession(let record, let members, let messages):
            return .sessionOpened(try openSession(record, members: members, messages: messages))
        case .append(let message):
            return try append([message])[0]
        case .closeSession(let id, let reason, let message):
            return .sessionClosed(try closeSession(id, reason: reason, message: message))
        case .history(let id, let afterSeq, let limit):
            let (messages, more) = try history(id, afterSeq: afterSeq, limit: limit)
            return .history(messages, more: more)
        case .transcript(let id):
            return .transcript(try transcript(id))
        case .audit(let actor, let action, let subject, let address):
            try link.execute(
                "INSERT INTO audit_log (at, actor_id, action, subject, client_address) VALUES ($1, $2, $3, $4, $5)",
                [.int(Columns.millis(Date())), .text(actor.rawValue), .text(action), .text(subject), .text(address)])
            return .done
        default:
            return try performTools(command)
        }
    }

    /// Upsert: the latest token wins.
    private func saveParticipant(_ identity: Identity) throws {
        try link.execute(
            """
            INSERT INTO participants (id, role, name, langs, locale, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name,
                langs = excluded.langs, locale = excluded.locale, updated_at = excluded.updated_at
            """,
            [
                .text(identity.id.rawValue), .text(identity.role.rawValue), .text(identity.name), .text(Columns.langs(identity.langs)),
                .text(identity.locale), .int(Columns.millis(Date())),
            ])
    }

    func openTicket(_ ticket: TicketRecord) throws {
        try link.execute(
            """
            INSERT INTO tickets (id, applicant_id, service, language, note, priority, state, created_at, updated_at,
                role, session_id, left_text, left_dir, left_at, pair_language, share_history, complaint_case, excluded_staff)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            """,
            [
                .text(ticket.id.rawValue), .text(ticket.applicant.rawValue), .text(ticket.service.rawValue), .text(ticket.language),
                .text(ticket.note), .int(ticket.priority), .text(ticket.state.rawValue), .int(Columns.millis(ticket.createdAt)),
                .text(ticket.role?.rawValue), .text(ticket.session?.rawValue), .text(ticket.leftMessage?.text),
                .text(ticket.leftMessage?.dir), .int(ticket.leftMessage.map { Columns.millis($0.at) }), .text(ticket.pairLanguage),
                .int(ticket.shareHistory ? 1 : 0), .text(ticket.complaintCase), .text(ticket.excludedStaff?.rawValue),
            ])
    }

    /// A ticket leaving the queue no longer holds a left message: it is in the session now.
    private func setTicketState(_ id: TicketID, _ state: TicketState, at date: Date) throws {
        let changed = try link.execute(
            "UPDATE tickets SET state = $1, updated_at = $2, left_text = NULL WHERE id = $3",
            [.text(state.rawValue), .int(Columns.millis(date)), .text(id.rawValue)])
        guard changed > 0 else { throw StoreFailure(.notFound, "ticket \(id) not found") }
    }

    /// Claims a queued ticket for a session. Several nodes may try the same ticket at once:
    /// the row lock makes them take turns and only the first finds it still queued.
    private func claimTicket(_ id: TicketID, at date: Date) throws {
        let changed = try link.execute(
            "UPDATE tickets SET state = $1, updated_at = $2, left_text = NULL WHERE id = $3 AND state = $4",
            [.text(TicketState.assigned.rawValue), .int(Columns.millis(date)), .text(id.rawValue), .text(TicketState.queued.rawValue)])
        guard changed > 0 else {
            let exists = try !link.query("SELECT 1 FROM tickets WHERE id = $1", [.text(id.rawValue)]).isEmpty
            throw exists ? StoreFailure(.conflict, "ticket \(id) is no longer queued") : StoreFailure(.notFound, "ticket \(id) not found")
        }
    }

    func openSession(_ record: SessionRecord, members: [SessionMember], messages: [NewMessage]) throws -> [StoredMessage] {
        guard messages.allSatisfy({ $0.session == record.id }) else {
            throw StoreFailure(.conflict, "opening messages name another session than \(record.id)")
        }
        if let ticket = record.ticket { try claimTicket(ticket, at: record.openedAt) }
        try guardCapacity(of: members)
        try link.execute(
            """
            INSERT INTO sessions (id, ticket_id, service, language, state, opened_at, closed_at, close_reason, last_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)
            """,
            [
                .text(record.id.rawValue), .text(record.ticket?.rawValue), .text(record.service.rawValue), .text(record.language),
                .text(record.state.rawValue), .int(Columns.millis(record.openedAt)), .int(record.closedAt.map(Columns.millis)),
                .text(record.closeReason),
            ])
        try insertMembers(record.id, members)
        let lastSeq = try insert(messages, after: 0)
        return try storedMessages(record.id, afterSeq: 0, limit: lastSeq)
    }

    private func insertMembers(_ session: SessionID, _ members: [SessionMember]) throws {
        for member in members {
            // A member never seen still needs a name row; one known keeps its token's name.
            try link.execute(
                """
                INSERT INTO participants (id, role, name, langs, locale, updated_at) VALUES ($1, $2, $3, $4, NULL, $5)
                ON CONFLICT (id) DO NOTHING
                """,
                [
                    .text(member.id.rawValue), .text(member.role.rawValue), .text(member.name), .text(Columns.langs(member.langs)),
                    .int(Columns.millis(member.joinedAt)),
                ])
            try link.execute(
                """
                INSERT INTO session_participants (session_id, participant_id, role, joined_at, left_at, visible_from_seq)
                VALUES ($1, $2, $3, $4, $5, $6)
                """,
                [
                    .text(session.rawValue), .text(member.id.rawValue), .text(member.role.rawValue),
                    .int(Columns.millis(member.joinedAt)), .int(member.leftAt.map(Columns.millis)), .int(member.visibleFromSeq),
                ])
        }
    }

    /// Leavers get `left_at`; joiners a row (someone who left and comes back: their row again).
    private func changeMembers(_ change: MemberChange) throws -> [StoredMessage] {
        let id = change.session
        guard let (state, lastSeq) = try lockedSession(id) else { throw StoreFailure(.notFound, "session \(id) not found") }
        guard state == .active else { throw StoreFailure(.conflict, "session \(id) is closed") }
        guard change.messages.allSatisfy({ $0.session == id }) else {
            throw StoreFailure(.conflict, "member change messages name another session than \(id)")
        }
        let at = change.messages.first?.createdAt ?? Date()
        for leaver in change.leaving {
            try link.execute(
                "UPDATE session_participants SET left_at = $1 WHERE session_id = $2 AND participant_id = $3 AND left_at IS NULL",
                [.int(Columns.millis(at)), .text(id.rawValue), .text(leaver.rawValue)])
        }
        for member in change.joining {
            try link.execute(
                "DELETE FROM session_participants WHERE session_id = $1 AND participant_id = $2",
                [.text(id.rawValue), .text(member.id.rawValue)])
        }
        let joining = change.joining.map { member in
            var member = member
            if change.hideEarlierHistory { member.visibleFromSeq = lastSeq + 1 }
            return member
        }
        try insertMembers(id, joining)
        if let ticket = change.assignTicket { try claimTicket(ticket, at: at) }
        try guardCapacity(of: change.joining)
        if let ticket = change.openTicket { try openTicket(ticket) }
        let seq = try insert(change.messages, after: lastSeq)
        return try storedMessages(id, afterSeq: lastSeq, limit: seq - lastSeq)
    }

    /// Appends messages through `jembatan_append` (see ``PostgresSchema``), all of them in one
    /// statement: the messages travel as one JSON array, and the function runs for each in
    /// order. It answers refusals as an outcome instead of raising, so no savepoint is needed.
    /// A resent `client_msg_id` answers with the original, even after the session closed.
    func append(_ messages: [NewMessage]) throws -> [StoreResult] {
        var results = [StoreResult?](repeating: nil, count: messages.count)
        var sent: [Int] = []
        var rows: [JSONValue] = []
        for (index, message) in messages.enumerated() {
            do {
                try refuseNUL(message)
                sent.append(index)
                rows.append(.array(messageArguments(message).map(\.json)))
            } catch let failure as StoreFailure {
                results[index] = .failed(failure)
            }
        }
        if !rows.isEmpty {
            let answers = try link.query(
                """
                SELECT r.outcome, r.seq, r.sender_name FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(m, n)
                CROSS JOIN LATERAL jembatan_append(a.m->>0, a.m->>1, a.m->>2, a.m->>3, a.m->>4, a.m->>5, a.m->>6, a.m->>7,
                    a.m->>8, a.m->>9, (a.m->>10)::BIGINT, (a.m->>11)::BIGINT, (a.m->>12)::BIGINT, a.m->>13, a.m->>14) r
                ORDER BY a.n
                """, [.text(JSONWriter.string(.array(rows)))])
            guard answers.count == sent.count else { throw StoreFailure(.unavailable, "append answered \(answers.count) of \(sent.count)") }
            for (answer, index) in zip(answers, sent) {
                do {
                    results[index] = try appended(messages[index], answer)
                } catch let failure as StoreFailure {
                    results[index] = .failed(failure)
                }
            }
        }
        return results.map { $0 ?? .failed(StoreFailure(.unavailable, "append answered nothing")) }
    }

    private func appended(_ message: NewMessage, _ row: PostgresRandomAccessRow) throws -> StoreResult {
        let id = message.session
        let seq = try row.requiredInt("seq")
        switch try row.requiredText("outcome") {
        case "stored":
            guard message.kind == .text, message.templateArgs == nil, message.shown == nil, message.sender != nil else {
                return .appended(try storedMessage(id, seq: seq), duplicate: false)
            }
            // A plain text message is rebuilt rather than read back, as the SQLite store does.
            var stored = message
            stored.createdAt = Columns.date(Columns.millis(message.createdAt))
            return .appended(StoredMessage(seq: seq, message: stored, senderName: try row.text("sender_name")), duplicate: false)
        case "duplicate":
            return .appended(try storedMessage(id, seq: seq), duplicate: true)
        case "foreign_duplicate":
            throw StoreFailure(.conflict, "client_msg_id already used by another sender in session \(id)")
        case "not_found":
            throw StoreFailure(.notFound, "session \(id) not found")
        case "closed":
            throw StoreFailure(.conflict, "session \(id) is closed")
        default:
            throw StoreFailure(.badReference, "reply_to or translation_of is not a message of session \(id)")
        }
    }

    private func closeSession(_ id: SessionID, reason: String, message: NewMessage) throws -> StoredMessage {
        guard let (state, lastSeq) = try lockedSession(id) else { throw StoreFailure(.notFound, "session \(id) not found") }
        guard message.session == id else { throw StoreFailure(.conflict, "closing message names another session than \(id)") }
        guard state == .active else { throw StoreFailure(.conflict, "session \(id) is closed") }
        let seq = try insert([message], after: lastSeq)
        try link.execute(
            "UPDATE sessions SET state = $1, closed_at = $2, close_reason = $3 WHERE id = $4",
            [.text(SessionState.closed.rawValue), .int(Columns.millis(message.createdAt)), .text(reason), .text(id.rawValue)])
        return try storedMessage(id, seq: seq)
    }

    /// Inserts `messages` after `lastSeq` (the session row already locked) and moves the
    /// session's `last_seq`; returns the new last seq.
    private func insert(_ messages: [NewMessage], after lastSeq: Int) throws -> Int {
        var seq = lastSeq
        for message in messages {
            try refuseNUL(message)
            for (name, reference) in [("reply_to", message.replyTo), ("translation_of", message.translationOf)] {
                if let reference, reference < 1 || reference > seq {
                    throw StoreFailure(.badReference, "\(name) \(reference) is not a message of session \(message.session)")
                }
            }
            seq += 1
            var arguments = messageArguments(message)
            arguments.insert(.int(seq), at: 1)
            try link.execute(
                """
                INSERT INTO messages (session_id, seq, sender_id, sender_role, kind, text, template_key, template_args,
                    dir, lang, client_msg_id, reply_to, translation_of, created_at, visibility, shown)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                """, arguments)
        }
        if let session = messages.first?.session, seq != lastSeq {
            try link.execute("UPDATE sessions SET last_seq = $1 WHERE id = $2", [.int(seq), .text(session.rawValue)])
        }
        return seq
    }

    /// The columns of `messages` but `seq`, in table order.
    private func messageArguments(_ message: NewMessage) -> [SQLArgument] {
        [
            .text(message.session.rawValue), .text(message.sender?.rawValue), .text(message.senderRole.rawValue),
            .text(message.kind.rawValue), .text(message.text), .text(message.templateKey),
            .text(Columns.templateArgs(message.templateArgs)), .text(message.dir), .text(message.lang),
            .text(message.clientMessageID?.rawValue), .int(message.replyTo), .int(message.translationOf),
            .int(Columns.millis(message.createdAt)), .text(message.staffOnly ? "staff" : nil), .text(Columns.shown(message.shown)),
        ]
    }

    /// PostgreSQL refuses U+0000 in text; say so as the SQLite store does, rather than fail the batch.
    private func refuseNUL(_ message: NewMessage) throws {
        if message.text?.utf8.contains(0) == true || message.clientMessageID?.rawValue.utf8.contains(0) == true {
            throw StoreFailure(.badReference, "text or client_msg_id contains U+0000, which the store cannot keep")
        }
    }

    /// Idempotent by the caller's id, as in SQLite.
    private func notify(_ record: NotificationRecord) throws -> StoreResult {
        if let row = try link.query("SELECT * FROM notifications WHERE id = $1", [.text(record.id)]).first {
            let original = try Rows.notification(row)
            guard original.applicant == record.applicant, original.key == record.key else {
                throw StoreFailure(.conflict, "notification id \(record.id) was used for another notification")
            }
            return .notified(original, duplicate: true)
        }
        try link.execute(
            "INSERT INTO notifications (id, applicant_id, template_key, template_args, created_at) VALUES ($1, $2, $3, $4, $5)",
            [
                .text(record.id), .text(record.applicant.rawValue), .text(record.key), .text(Columns.templateArgs(record.args)),
                .int(Columns.millis(record.createdAt)),
            ])
        return .notified(record, duplicate: false)
    }
}
