import CWebSockets
import Foundation
import JembatanCore

/// `GET /api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&group_by=day,service&format=json|csv|html`
/// (supervisors): figures computed from the database on the reports connection.
extension BrokerLoop {
    func stats(_ wsi: OpaquePointer, _ id: UInt64) -> HTTPReply? {
        guard let identity = bearerIdentity(wsi) else { return .error(401, .unauthorized, "a valid bearer token is required") }
        guard identity.role == .supervisor else { return .error(403, .forbidden, "supervisors only") }
        let format = queryArgument(wsi, "format") ?? "json"
        guard ["json", "csv", "html"].contains(format) else { return .error(400, .bad_request, "format must be json, csv or html") }
        var groupBy: [StatsDimension] = []
        for name in (queryArgument(wsi, "group_by") ?? "day").split(separator: ",") {
            guard let dimension = StatsDimension(rawValue: String(name)), !groupBy.contains(dimension) else {
                return .error(400, .bad_request, "group_by takes day, service, language and office, each once")
            }
            groupBy.append(dimension)
        }
        // Office days, `to` included; the last 7 days by default.
        let zone = configuration.timeZone
        let today = String(
            Timestamp.format(Date().addingTimeInterval(Double(TimeZone(identifier: zone)?.secondsFromGMT() ?? 0))).prefix(10))
        let toDay = queryArgument(wsi, "to") ?? today
        guard let end = ReplyTemplates.officeDate(toDay, dayOnly: true, timeZone: zone)?.addingTimeInterval(86400) else {
            return .error(400, .bad_request, "to must be a day as YYYY-MM-DD")
        }
        let fromDay = queryArgument(wsi, "from") ?? String(Timestamp.format(end.addingTimeInterval(-7 * 86400 + 43200)).prefix(10))
        guard let start = ReplyTemplates.officeDate(fromDay, dayOnly: true, timeZone: zone), start < end,
            end.timeIntervalSince(start) <= 367 * 86400
        else { return .error(400, .bad_request, "from must be a day as YYYY-MM-DD before to, at most a year apart") }
        let query = StatsQuery(from: start, to: end, groupBy: groupBy, timeZone: zone, office: configuration.office)
        let formatter = StatsFormatter(localizer: localizer, outcomeCodes: configuration.broker.outcomeCodes)
        let locale = localizer.negotiate([queryArgument(wsi, "locale"), identity.locale])
        pendingHTTP[id]?.responder = { result in
            guard case .stats(let report) = result else { return .error(503, .unavailable, "figures could not be read") }
            switch format {
            case "csv":
                return HTTPReply(status: 200, contentType: "text/csv; charset=utf-8", body: Array(formatter.csv(report, query).utf8))
            case "html":
                let page = formatter.html(report, query, locale: locale, fromDay: fromDay, toDay: toDay)
                return HTTPReply(status: 200, contentType: "text/html; charset=utf-8", body: Array(page.utf8))
            default:
                return .json(200, formatter.json(report, query, fromDay: fromDay, toDay: toDay))
            }
        }
        reports.submit([StoreWorker.Job(origin: .http(id), command: .stats(query))])
        return nil
    }
}
