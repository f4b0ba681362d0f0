import Foundation

/// Figures as JSON (programs), CSV (spreadsheets) and an HTML page with server-drawn SVG bars
/// (the supervisor console; no script, nothing fetched from the internet).
public struct StatsFormatter: Sendable {
    public let localizer: Localizer
    public let outcomeCodes: [String]

    public init(localizer: Localizer, outcomeCodes: [String]) {
        self.localizer = localizer
        self.outcomeCodes = outcomeCodes
    }

    static let metrics = [
        "tickets", "abandoned", "sessions", "interpreted", "wait_median_s", "wait_p90_s", "duration_median_s", "duration_p90_s",
        "ratings", "rating_avg",
    ]

    func values(_ row: StatsRow) -> [JSONValue] {
        [
            JSONValue(row.tickets), JSONValue(row.abandoned), JSONValue(row.sessions), JSONValue(row.interpreted),
            Self.optional(row.waitMedian), Self.optional(row.waitP90), Self.optional(row.durationMedian), Self.optional(row.durationP90),
            JSONValue(row.ratings), row.ratingAverage.map(JSONValue.number) ?? .null,
        ]
    }

    static func optional(_ value: Int?) -> JSONValue { value.map { JSONValue($0) } ?? .null }

    public func json(_ report: StatsReport, _ query: StatsQuery, fromDay: String, toDay: String) -> JSONValue {
        let rows = report.rows.map { row -> JSONValue in
            var object = JSONObject()
            for dimension in query.groupBy { object[dimension.rawValue] = JSONValue(row.group[dimension]) }
            for (name, value) in zip(Self.metrics, values(row)) { object[name] = value }
            object["outcomes"] = .object(JSONObject(row.outcomes.sorted { $0.key < $1.key }.map { ($0.key, JSONValue($0.value)) }))
            return .object(object)
        }
        return .object([
            "from": .string(fromDay), "to": .string(toDay), "group_by": .array(query.groupBy.map { .string($0.rawValue) }),
            "rows": .array(rows),
            "interpreter_pairs": .object(
                JSONObject(report.interpreterPairs.sorted { $0.key < $1.key }.map { ($0.key, JSONValue($0.value)) })),
        ])
    }

    /// One line per group; outcome codes as columns; empty cells for "no data".
    public func csv(_ report: StatsReport, _ query: StatsQuery) -> String {
        let header = query.groupBy.map(\.rawValue) + Self.metrics + outcomeCodes.map { "outcome_" + $0 }
        var lines = [header.joined(separator: ",")]
        for row in report.rows {
            var cells = query.groupBy.map { Self.csvCell(row.group[$0] ?? "") }
            cells += values(row).map { value in
                switch value {
                case .number(let n): n == n.rounded() ? String(Int(n)) : String(n)
                default: ""
                }
            }
            cells += outcomeCodes.map { String(row.outcomes[$0] ?? 0) }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func csvCell(_ text: String) -> String {
        // A leading =, +, - or @ would be a formula in a spreadsheet.
        let safe = text.first.map { "=+-@".contains($0) } == true ? "'" + text : text
        return safe.contains(where: { ",\"\r\n".contains($0) }) ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : safe
    }

    /// A page: tickets per group as bars (abandoned in a second colour), the median wait beside
    /// each, and the table.
    public func html(_ report: StatsReport, _ query: StatsQuery, locale: String, fromDay: String, toDay: String) -> String {
        let title = HTMLText.escape(localizer.render("ui.supervisor.queues", locale: locale))
        let largest = max(1, report.rows.map(\.tickets).max() ?? 1)
        let barHeight = 22
        var bars: [String] = []
        for (index, row) in report.rows.enumerated() {
            let label = HTMLText.escape(query.groupBy.compactMap { row.group[$0] }.joined(separator: " · "))
            let y = index * (barHeight + 6)
            let width = 400 * row.tickets / largest
            let lost = 400 * row.abandoned / largest
            let wait = row.waitMedian.map { " · \($0 / 60) min" } ?? ""
            bars.append(
                """
                <g><title>\(label): \(row.tickets) tickets, \(row.abandoned) abandoned</title>\
                <text x="0" y="\(y + 16)" font-size="12">\(label)</text>\
                <rect x="200" y="\(y)" width="\(width)" height="\(barHeight)" fill="#1f5f99"/>\
                <rect x="200" y="\(y)" width="\(lost)" height="\(barHeight)" fill="#b3261e"/>\
                <text x="\(210 + width)" y="\(y + 16)" font-size="12">\(row.tickets)\(wait)</text></g>
                """)
        }
        let chartHeight = max(1, report.rows.count) * (barHeight + 6)
        let direction = ["ar"].contains(locale) ? "rtl" : "ltr"
        let header = (query.groupBy.map(\.rawValue) + Self.metrics).map { "<th scope=\"col\">\($0)</th>" }.joined()
        let body = report.rows.map { row in
            let cells =
                query.groupBy.map { HTMLText.escape(row.group[$0] ?? "") }
                + values(row).map { value in
                    if case .number(let n) = value { return n == n.rounded() ? String(Int(n)) : String(n) }
                    return ""
                }
            return "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="\(HTMLText.escape(locale))" dir="\(direction)"><head><meta charset="utf-8"><title>\(title)</title>
            <style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}table{border-collapse:collapse}\
            td,th{border:1px solid #767676;padding:.25rem .5rem;text-align:end}svg{direction:ltr}</style></head>
            <body><h1>\(title)</h1><p>\(HTMLText.escape(fromDay)) – \(HTMLText.escape(toDay))</p>
            <svg role="img" aria-label="tickets per group" width="760" height="\(chartHeight)" viewBox="0 0 760 \(chartHeight)">
            \(bars.joined(separator: "\n"))
            </svg>
            <table><thead><tr>\(header)</tr></thead><tbody>
            \(body)
            </tbody></table></body></html>
            """
    }
}
