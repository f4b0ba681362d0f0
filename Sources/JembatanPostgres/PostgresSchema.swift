import Foundation

/// The cluster's schema. The same tables and columns as the SQLite store's migrations
/// (JembatanStore) reach, so a record reads the same from either; dates are BIGINT epoch
/// milliseconds in both. Like SQLite's migrator: a step is added, never edited after it ships.
enum PostgresSchema {
    /// Each step's statements, run one by one (the extended protocol takes one per query).
    static let steps: [(name: String, statements: [String])] = [
        ("pg-v1", split(v1)), ("pg-v1-append", [appendFunction]), ("pg-v1-lease", split(lease)),
        ("pg-v2-nodes", split(nodes)), ("pg-v3-audit-address", ["ALTER TABLE audit_log ADD COLUMN client_address TEXT"]),
    ]

    /// Plain DDL split at the end of each statement (no function bodies in these).
    private static func split(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Brings the schema up to date. Several nodes may start at once: a transaction-level
    /// advisory lock makes them take turns, and each step is recorded in the same transaction.
    static func migrate(_ link: PostgresLink) throws {
        try link.execute("BEGIN")
        do {
            try link.query("SELECT pg_advisory_xact_lock(7245001)")
            // Under the lock: two nodes creating it at once would collide in the catalog.
            try link.execute(
                "CREATE TABLE IF NOT EXISTS jembatan_schema (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            let applied = Set(try link.query("SELECT name FROM jembatan_schema").map { try $0.requiredText("name") })
            for step in steps where !applied.contains(step.name) {
                for statement in step.statements { try link.execute(statement) }
                try link.execute("INSERT INTO jembatan_schema (name) VALUES ($1)", [.text(step.name)])
            }
            try link.execute("COMMIT")
        } catch {
            _ = try? link.execute("ROLLBACK")
            throw error
        }
    }

    private static let v1 = """
        CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            langs TEXT NOT NULL DEFAULT '[]',
            locale TEXT,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY,
            applicant_id TEXT NOT NULL,
            service TEXT NOT NULL,
            language TEXT NOT NULL,
            note TEXT,
            priority BIGINT NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            role TEXT,
            session_id TEXT,
            left_text TEXT,
            left_dir TEXT,
            left_at BIGINT,
            pair_language TEXT,
            share_history BIGINT NOT NULL DEFAULT 1,
            complaint_case TEXT,
            excluded_staff TEXT
        );
        CREATE INDEX tickets_by_queue ON tickets (state, priority DESC, created_at);
        CREATE INDEX tickets_by_created ON tickets (created_at);
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            ticket_id TEXT REFERENCES tickets (id),
            service TEXT NOT NULL,
            language TEXT NOT NULL,
            state TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            closed_at BIGINT,
            close_reason TEXT,
            last_seq BIGINT NOT NULL DEFAULT 0,
            outcome TEXT,
            follow_up TEXT,
            outcome_by TEXT,
            outcome_at BIGINT
        );
        ALTER TABLE tickets ADD FOREIGN KEY (session_id) REFERENCES sessions (id);
        CREATE INDEX sessions_by_state ON sessions (state, opened_at);
        CREATE INDEX sessions_by_ticket ON sessions (ticket_id);
        CREATE INDEX sessions_by_follow_up ON sessions (follow_up) WHERE follow_up IS NOT NULL;
        CREATE TABLE session_participants (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            participant_id TEXT NOT NULL REFERENCES participants (id),
            role TEXT NOT NULL,
            joined_at BIGINT NOT NULL,
            left_at BIGINT,
            visible_from_seq BIGINT,
            last_read_seq BIGINT NOT NULL DEFAULT 0,
            -- SQLite's rowid: members who joined at the same millisecond keep their order.
            row_order BIGSERIAL,
            PRIMARY KEY (session_id, participant_id)
        );
        CREATE INDEX session_participants_by_participant ON session_participants (participant_id);
        CREATE TABLE messages (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            seq BIGINT NOT NULL,
            sender_id TEXT,
            sender_role TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT,
            template_key TEXT,
            template_args TEXT,
            dir TEXT,
            lang TEXT,
            client_msg_id TEXT,
            reply_to BIGINT,
            translation_of BIGINT,
            created_at BIGINT NOT NULL,
            visibility TEXT,
            shown TEXT,
            PRIMARY KEY (session_id, seq)
        );
        CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (session_id, client_msg_id)
            WHERE client_msg_id IS NOT NULL;
        -- Search: the ICU words of each typed message (SQLite uses FTS5 for the same job).
        CREATE TABLE message_words (
            word TEXT NOT NULL,
            session_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (word, session_id, seq),
            FOREIGN KEY (session_id, seq) REFERENCES messages (session_id, seq)
        );
        CREATE TABLE audit_log (
            id BIGSERIAL PRIMARY KEY,
            at BIGINT NOT NULL,
            actor_id TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL
        );
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY,
            service TEXT NOT NULL,
            applicant_id TEXT NOT NULL,
            staff_id TEXT NOT NULL,
            interpreter_id TEXT NOT NULL,
            language_a TEXT NOT NULL,
            language_b TEXT NOT NULL,
            starts_at BIGINT NOT NULL,
            ends_at BIGINT NOT NULL,
            state TEXT NOT NULL,
            session_id TEXT REFERENCES sessions (id),
            created_at BIGINT NOT NULL
        );
        CREATE INDEX interviews_by_time ON interviews (state, starts_at);
        CREATE TABLE notifications (
            id TEXT PRIMARY KEY,
            applicant_id TEXT NOT NULL,
            template_key TEXT NOT NULL,
            template_args TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            seen_at BIGINT
        );
        CREATE INDEX notifications_unseen ON notifications (applicant_id) WHERE seen_at IS NULL;
        CREATE TABLE complaints (
            number TEXT PRIMARY KEY,
            year BIGINT NOT NULL,
            seq BIGINT NOT NULL,
            applicant_id TEXT NOT NULL,
            about_id TEXT,
            status TEXT NOT NULL,
            answer_by TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (year, seq)
        );
        CREATE TABLE complaint_events (
            number TEXT NOT NULL REFERENCES complaints (number),
            at BIGINT NOT NULL,
            actor_id TEXT NOT NULL,
            status TEXT NOT NULL
        );
        CREATE TABLE feedback (
            session_id TEXT PRIMARY KEY REFERENCES sessions (id),
            rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
            comment TEXT,
            created_at BIGINT NOT NULL
        );
        """

    /// The send path in one round trip (SCALEOUT.md): lock the session row, answer a resent
    /// `client_msg_id` with the original's seq, refuse a closed session or a dangling
    /// reference, else store the message as `last_seq + 1`. Expected refusals come back as an
    /// `outcome` rather than an exception, so a batch needs no savepoint around it.
    private static let appendFunction = """
        CREATE FUNCTION jembatan_append(
            p_session TEXT, p_sender TEXT, p_sender_role TEXT, p_kind TEXT, p_text TEXT, p_template_key TEXT,
            p_template_args TEXT, p_dir TEXT, p_lang TEXT, p_client_msg_id TEXT, p_reply_to BIGINT,
            p_translation_of BIGINT, p_created_at BIGINT, p_visibility TEXT, p_shown TEXT
        ) RETURNS TABLE (outcome TEXT, seq BIGINT, sender_name TEXT) LANGUAGE plpgsql AS $$
        DECLARE
            v_last BIGINT;
            v_state TEXT;
            v_seq BIGINT;
            v_sender TEXT;
        BEGIN
            SELECT s.last_seq, s.state INTO v_last, v_state FROM sessions s WHERE s.id = p_session FOR UPDATE;
            IF NOT FOUND THEN
                RETURN QUERY SELECT 'not_found'::TEXT, 0::BIGINT, NULL::TEXT;
                RETURN;
            END IF;
            IF p_client_msg_id IS NOT NULL THEN
                SELECT m.seq, m.sender_id INTO v_seq, v_sender FROM messages m
                    WHERE m.session_id = p_session AND m.client_msg_id = p_client_msg_id;
                IF FOUND THEN
                    IF v_sender IS DISTINCT FROM p_sender THEN
                        RETURN QUERY SELECT 'foreign_duplicate'::TEXT, v_seq, NULL::TEXT;
                    ELSE
                        RETURN QUERY SELECT 'duplicate'::TEXT, v_seq, NULL::TEXT;
                    END IF;
                    RETURN;
                END IF;
            END IF;
            IF v_state <> 'active' THEN
                RETURN QUERY SELECT 'closed'::TEXT, v_last, NULL::TEXT;
                RETURN;
            END IF;
            IF (p_reply_to IS NOT NULL AND (p_reply_to < 1 OR p_reply_to > v_last))
                OR (p_translation_of IS NOT NULL AND (p_translation_of < 1 OR p_translation_of > v_last)) THEN
                RETURN QUERY SELECT 'bad_reference'::TEXT, v_last, NULL::TEXT;
                RETURN;
            END IF;
            INSERT INTO messages (session_id, seq, sender_id, sender_role, kind, text, template_key, template_args,
                dir, lang, client_msg_id, reply_to, translation_of, created_at, visibility, shown)
            VALUES (p_session, v_last + 1, p_sender, p_sender_role, p_kind, p_text, p_template_key, p_template_args,
                p_dir, p_lang, p_client_msg_id, p_reply_to, p_translation_of, p_created_at, p_visibility, p_shown);
            UPDATE sessions SET last_seq = v_last + 1 WHERE id = p_session;
            RETURN QUERY SELECT 'stored'::TEXT, v_last + 1, (SELECT p.name FROM participants p WHERE p.id = p_sender);
        END;
        $$;
        """

    /// Which node may write (see ``BrokerLease``): one row, taken over only after it expired,
    /// each holder with a higher epoch. Times are PostgreSQL's own, never a node's clock.
    /// Active-active nodes: each holds its own row, renewed like the lease; presence rows
    /// count only while their node's row is live with the same epoch.
    private static let nodes = """
        CREATE TABLE broker_nodes (
            node_id TEXT PRIMARY KEY,
            epoch BIGINT NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE cluster_presence (
            participant_id TEXT NOT NULL,
            node_id TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            langs TEXT NOT NULL,
            availability TEXT NOT NULL,
            capacity BIGINT NOT NULL,
            PRIMARY KEY (participant_id, node_id)
        );
        """

    private static let lease = """
        CREATE TABLE broker_lease (
            singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
            node_id TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        );
        """
}
