import GRDB

extension SQLiteStore {
    /// The schema's history. A migration is registered once and never edited after it ships:
    /// a change is a new migration ("v2", …) appended below, so every database on disk reaches
    /// the same schema by the same steps.
    ///
    /// Raw SQL rather than GRDB's schema builder: the text pins the exact schema whatever GRDB
    /// version later runs it, and reads one-to-one against the PostgreSQL schema to come.
    /// Dates are INTEGER epoch milliseconds (UTC), the same in both engines.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-search") { db in
            try createSearchIndex(db)
        }
        migrator.registerMigration("v3-routing") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-interpreters") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-interviews") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-counsellor-tools") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-complaints-feedback") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8-stats-indexes") { db in
            try db.execute(sql: "CREATE INDEX tickets_by_created ON tickets (created_at)")
            try db.execute(sql: "CREATE INDEX sessions_by_ticket ON sessions (ticket_id)")
        }
        migrator.registerMigration("v9-derived-last-seq") { db in
            // A session's last seq is its messages' highest (``lastSeqSQL``): keeping a copy
            // up to date cost an UPDATE a message, ~6% of the broker's instructions.
            try db.execute(sql: "ALTER TABLE sessions DROP COLUMN last_seq")
        }
        migrator.registerMigration("v10-search-without-sizes") { db in
            try recreateSearchIndexWithoutSizes(db)
        }
        migrator.registerMigration("v11-client-ids-in-memory") { db in
            // The writer's memo finds repeated client ids (``WriterMemo``): the index cost a
            // random page write a message. Closed sessions' look-ups scan the session's rows.
            try db.execute(sql: "DROP INDEX messages_by_client_msg_id")
        }
        migrator.registerMigration("v12-audit-address") { db in
            // The real client's address of each look (behind a trusted proxy, the one it names).
            try db.execute(sql: "ALTER TABLE audit_log ADD COLUMN client_address TEXT")
        }
        return migrator
    }()

    /// Transfers to a team (`role`, `session_id`) and messages left while waiting.
    private static let v3 = """
        ALTER TABLE tickets ADD COLUMN role TEXT;
        ALTER TABLE tickets ADD COLUMN session_id TEXT REFERENCES sessions (id);
        ALTER TABLE tickets ADD COLUMN left_text TEXT;
        ALTER TABLE tickets ADD COLUMN left_dir TEXT;
        ALTER TABLE tickets ADD COLUMN left_at INTEGER;
        """

    /// Interpreter requests (a language pair; whether earlier history is shared) and members
    /// who may read only from a given seq.
    private static let v4 = """
        ALTER TABLE tickets ADD COLUMN pair_language TEXT;
        ALTER TABLE tickets ADD COLUMN share_history INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE session_participants ADD COLUMN visible_from_seq INTEGER;
        """

    /// Interviews booked ahead, times in UTC epoch milliseconds.
    private static let v5 = """
        CREATE TABLE interviews (
            id TEXT PRIMARY KEY NOT NULL,
            service TEXT NOT NULL,
            applicant_id TEXT NOT NULL,
            staff_id TEXT NOT NULL,
            interpreter_id TEXT NOT NULL,
            language_a TEXT NOT NULL,
            language_b TEXT NOT NULL,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            session_id TEXT REFERENCES sessions (id),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX interviews_by_time ON interviews (state, starts_at);
        """

    /// Private notes and template texts as shown; read positions; outcomes and follow-ups;
    /// notifications from the application system.
    private static let v6 = """
        ALTER TABLE messages ADD COLUMN visibility TEXT;
        ALTER TABLE messages ADD COLUMN shown TEXT;
        ALTER TABLE session_participants ADD COLUMN last_read_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN outcome TEXT;
        ALTER TABLE sessions ADD COLUMN follow_up TEXT;
        ALTER TABLE sessions ADD COLUMN outcome_by TEXT;
        ALTER TABLE sessions ADD COLUMN outcome_at INTEGER;
        CREATE INDEX sessions_by_follow_up ON sessions (follow_up) WHERE follow_up IS NOT NULL;
        CREATE TABLE notifications (
            id TEXT PRIMARY KEY NOT NULL,
            applicant_id TEXT NOT NULL,
            template_key TEXT NOT NULL,
            template_args TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            seen_at INTEGER
        );
        CREATE INDEX notifications_unseen ON notifications (applicant_id) WHERE seen_at IS NULL;
        """

    /// Complaint cases and their audit trail; ratings after sessions.
    private static let v7 = """
        ALTER TABLE tickets ADD COLUMN complaint_case TEXT;
        ALTER TABLE tickets ADD COLUMN excluded_staff TEXT;
        CREATE TABLE complaints (
            number TEXT PRIMARY KEY NOT NULL,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            applicant_id TEXT NOT NULL,
            about_id TEXT,
            status TEXT NOT NULL,
            answer_by TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (year, seq)
        );
        CREATE TABLE complaint_events (
            number TEXT NOT NULL REFERENCES complaints (number),
            at INTEGER NOT NULL,
            actor_id TEXT NOT NULL,
            status TEXT NOT NULL
        );
        CREATE TABLE feedback (
            session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            comment TEXT,
            created_at INTEGER NOT NULL
        );
        """

    // Foreign keys guard the structure (a message belongs to a stored session). Senders and
    // applicants are deliberately not foreign keys: a missing name row must never make the
    // store refuse a message someone typed; the join then just has no name.
    private static let v1 = """
        CREATE TABLE participants (
            id TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL,
            name TEXT NOT NULL,
            langs TEXT NOT NULL DEFAULT '[]',
            locale TEXT,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY NOT NULL,
            applicant_id TEXT NOT NULL,
            service TEXT NOT NULL,
            language TEXT NOT NULL,
            note TEXT,
            priority INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX tickets_by_queue ON tickets (state, priority DESC, created_at);
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL,
            ticket_id TEXT REFERENCES tickets (id),
            service TEXT NOT NULL,
            language TEXT NOT NULL,
            state TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            closed_at INTEGER,
            close_reason TEXT,
            last_seq INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sessions_by_state ON sessions (state, opened_at);
        CREATE TABLE session_participants (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            participant_id TEXT NOT NULL REFERENCES participants (id),
            role TEXT NOT NULL,
            joined_at INTEGER NOT NULL,
            left_at INTEGER,
            PRIMARY KEY (session_id, participant_id)
        );
        CREATE TABLE messages (
            session_id TEXT NOT NULL REFERENCES sessions (id),
            seq INTEGER NOT NULL,
            sender_id TEXT,
            sender_role TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT,
            template_key TEXT,
            template_args TEXT,
            dir TEXT,
            lang TEXT,
            client_msg_id TEXT,
            reply_to INTEGER,
            translation_of INTEGER,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (session_id, seq)
        );
        CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (session_id, client_msg_id)
            WHERE client_msg_id IS NOT NULL;
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor_id TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL
        );
        """
}
