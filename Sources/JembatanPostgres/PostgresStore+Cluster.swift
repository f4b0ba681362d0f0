import Foundation
import JembatanCore
import JembatanStore

/// Active-active cluster: who is connected to which node, the shared picture every node
/// catches up from, and the guard that keeps a staff member within capacity when several
/// nodes assign at once.
extension PostgresStore {
    /// This node's row for `identity`, or none (`availability` nil). Needs the node's fence:
    /// presence counts only while the node that wrote it is alive with the same epoch.
    func setPresence(_ identity: Identity, availability: Availability?, capacity: Int) throws {
        guard let fence, fence.scope == .node else { throw StoreFailure(.conflict, "presence needs an active-active node") }
        guard let availability else {
            try link.execute(
                "DELETE FROM cluster_presence WHERE participant_id = $1 AND node_id = $2", [.text(identity.id.rawValue), .text(fence.node)])
            return
        }
        try link.execute(
            """
            INSERT INTO cluster_presence (participant_id, node_id, epoch, role, name, langs, availability, capacity)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (participant_id, node_id) DO UPDATE SET epoch = excluded.epoch, role = excluded.role,
                name = excluded.name, langs = excluded.langs, availability = excluded.availability, capacity = excluded.capacity
            """,
            [
                .text(identity.id.rawValue), .text(fence.node), .int(fence.epoch), .text(identity.role.rawValue), .text(identity.name),
                .text(Columns.langs(identity.langs)), .text(availability.rawValue), .int(capacity),
            ])
    }

    /// Everything shared, read inside the batch's transaction (one consistent picture).
    func snapshot(known: [SessionID]) throws -> ClusterSnapshot {
        let state = try recover()
        let rows = try link.query(
            """
            SELECT p.participant_id AS id, p.role, p.name, p.langs, p.availability, p.capacity
            FROM cluster_presence p JOIN broker_nodes n ON n.node_id = p.node_id AND n.epoch = p.epoch AND n.expires_at > now()
            ORDER BY p.participant_id, (p.availability = 'available') DESC, p.capacity DESC
            """)
        var presence: [ClusterSnapshot.Presence] = []
        for row in rows {
            // Connected to several nodes: the first row is the most available one.
            guard let identity = try Rows.identity(row), presence.last?.identity.id != identity.id,
                let availability = Availability(rawValue: try row.requiredText("availability"))
            else { continue }
            presence.append(.init(identity: identity, availability: availability, capacity: try row.requiredInt("capacity")))
        }
        var closed: [SessionID: String] = [:]
        if !known.isEmpty {
            for row in try link.query(
                "SELECT id, close_reason FROM sessions WHERE state = 'closed' AND id = ANY(string_to_array($1, ','))",
                [.text(known.map(\.rawValue).joined(separator: ","))])
            {
                closed[SessionID(try row.requiredText("id"))] = try row.text("close_reason") ?? "other"
            }
        }
        return ClusterSnapshot(state: state, presence: presence, closed: closed)
    }

    /// Refuses a session or a join that would put a staff member over the capacity their
    /// presence row states. A transaction-level lock per staff member makes concurrent
    /// assignments (from several nodes) count one after the other.
    func guardCapacity(of members: [SessionMember]) throws {
        // In id order, like the session rows: two nodes never wait for each other in a circle.
        for member in members.sorted(by: { $0.id.rawValue < $1.id.rawValue }) where member.role.isStaff {
            try link.query("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("staff:" + member.id.rawValue)])
            let row = try link.query(
                """
                SELECT (SELECT count(*) FROM session_participants sp JOIN sessions s ON s.id = sp.session_id
                        WHERE sp.participant_id = $1 AND sp.left_at IS NULL AND s.state = 'active') AS load,
                       (SELECT max(capacity) FROM cluster_presence WHERE participant_id = $1) AS capacity
                """, [.text(member.id.rawValue)]
            ).first
            guard let row, let capacity = try row.integer("capacity") else { continue }
            if try row.requiredInt("load") >= capacity {
                throw StoreFailure(.conflict, "staff member at capacity")
            }
        }
    }
}
