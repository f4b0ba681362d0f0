import CWebSockets
import Foundation
import JembatanCore
import JembatanText

/// `GET /api/people?q=…`: staff look up the people they have served (supervisors: anyone).
/// A name typed in Latin finds its Arabic or Han original through transliteration; results
/// are sorted with the caller's locale's collation and carry the Latin form beside the name.
extension BrokerLoop {
    func people(_ wsi: OpaquePointer, _ id: UInt64) -> HTTPReply? {
        guard let identity = bearerIdentity(wsi) else {
            return .error(401, .unauthorized, "a valid bearer token is required")
        }
        guard identity.role.isStaff || identity.role == .supervisor else {
            return .error(403, .forbidden, "staff and supervisors only")
        }
        let query = queryArgument(wsi, "q") ?? ""
        let locale = localizer.negotiate([queryArgument(wsi, "locale"), identity.locale])
        pendingHTTP[id]?.responder = { result in
            guard case .people(let people) = result else { return .error(503, .unavailable, "lookup failed; retry") }
            let collator = NameCollator(locale: locale)
            let found = people.filter { query.isEmpty || NameSearch.matches(query: query, name: $0.name) }
                .sorted { collator.compare($0.name, $1.name) < 0 }
                .prefix(200)
            return .json(200, .object(["people": .array(found.map(Broker.identityJSON))]))
        }
        let reader: ParticipantID? = identity.role == .supervisor ? nil : identity.id
        storeJobs.append(StoreWorker.Job(origin: .http(id), command: .people(reader: reader)))
        return nil
    }
}
