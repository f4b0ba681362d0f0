import Foundation

/// Notifications from the application system: rendered in each of the applicant's
/// connections' locales, pushed live or kept until they connect, marked seen, idempotent.
extension Broker {
    mutating func notify(
        _ connection: ConnectionID, _ identity: Identity, re: String?, id: String, applicant: ParticipantID, key: String, args: JSONObject,
        now: Date
    ) -> [BrokerAction] {
        guard identity.role == .system else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "notifications come from the application system", requestID: re))]
        }
        guard let template = configuration.templates.notifications[key] else {
            return [errorFrame(connection, FrameError(.bad_request, detail: "no such notification template", requestID: re))]
        }
        switch ReplyTemplates.arguments(template, args, timeZone: localizer.timeZone) {
        case .failure(let problem):
            return [errorFrame(connection, FrameError(.bad_request, detail: problem.description, requestID: re))]
        case .success(let checked):
            let record = NotificationRecord(id: id, applicant: applicant, key: key, args: checked, createdAt: now)
            return [storeRequest(.notify(record), then: .notified(connection, re: re))]
        }
    }

    mutating func notified(_ connection: ConnectionID, re: String?, _ result: StoreResult) -> [BrokerAction] {
        guard case .notified(let record, let duplicate) = result else {
            return connections[connection] == nil ? [] : [errorFrame(connection, storeError(result, requestID: re))]
        }
        var actions: [BrokerAction] = []
        let online = !connectionIDs(of: record.applicant).isEmpty
        if !duplicate {
            unseen[record.applicant, default: []].append(record)
            actions += broadcast(to: [record.applicant]) { .object(notificationJSON(record, locale: $0)) }
        }
        if connections[connection] != nil {
            actions.append(
                Self.reply(
                    connection, re: re,
                    [
                        "type": "notification.accepted", "id": .string(record.id), "applicant": .string(record.applicant.rawValue),
                        "delivered": .bool(online && !duplicate), "duplicate": .bool(duplicate),
                    ]))
        }
        return actions
    }

    func notificationJSON(_ record: NotificationRecord, locale: String) -> JSONObject {
        [
            "type": "notification", "id": .string(record.id), "key": .string(record.key), "args": .object(record.args),
            "text": .string(localizer.render(ReplyTemplates.notificationKey(record.key), record.args, locale: locale)),
            "ts": .string(Timestamp.format(record.createdAt)),
        ]
    }

    mutating func notificationsSeen(_ connection: ConnectionID, _ identity: Identity, re: String?, ids: [String], now: Date)
        -> [BrokerAction]
    {
        guard identity.role == .applicant else {
            return [errorFrame(connection, FrameError(.forbidden, detail: "notifications are the applicant's", requestID: re))]
        }
        let seen = Set(ids)
        unseen[identity.id]?.removeAll { seen.contains($0.id) }
        if unseen[identity.id]?.isEmpty == true { unseen[identity.id] = nil }
        var actions = [storeRequest(.notificationsSeen(identity.id, ids: ids, at: now), then: .nothing)]
        if re != nil {
            actions.append(Self.reply(connection, re: re, ["type": "notification.seen", "ids": .array(ids.map(JSONValue.string))]))
        }
        return actions
    }
}
