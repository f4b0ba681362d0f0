import Foundation

extension BusinessHours {
    /// Reads the `--hours` file:
    /// ```json
    /// {"time_zone": "Asia/Jakarta", "holidays": ["2026-12-25"],
    ///  "default": {"mon": ["08:00-12:00", "13:00-16:00"], "tue": ["08:00-16:00"]},
    ///  "services": {"counselling": {"mon": ["08:00-20:00"]}, "general": "always"}}
    /// ```
    /// `default` applies to services not in `services`; `"always"` means always open.
    /// `time_zone` may be left out when `officeTimeZone` is given; if both are, they must agree
    /// (hours and the times people read are the office's one clock).
    public static func load(json data: Data, officeTimeZone: String? = nil) throws -> BusinessHours {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BusinessHoursError("not a JSON object")
        }
        try refuseUnknownKeys(root, allowed: ["time_zone", "holidays", "default", "services"], at: "")
        guard let zone = (root["time_zone"] as? String) ?? officeTimeZone else {
            throw BusinessHoursError("time_zone: missing or not a string")
        }
        if let officeTimeZone, zone != officeTimeZone {
            throw BusinessHoursError("time_zone: \"\(zone)\" differs from the office time zone \"\(officeTimeZone)\" (--time-zone)")
        }
        let holidays = root["holidays"] ?? []
        guard let days = holidays as? [String] else { throw BusinessHoursError("holidays: must be an array of \"YYYY-MM-DD\"") }
        let services = root["services"] ?? [String: Any]()
        guard let listed = services as? [String: Any] else { throw BusinessHoursError("services: must be an object") }

        var weekly: [Service: [Weekday: [OpeningInterval]]] = [:]
        if let fallback = root["default"] {
            let week = try schedule(fallback, at: "default")
            for service in Service.allCases { weekly[service] = week }
        }
        for (name, value) in listed.sorted(by: { $0.key < $1.key }) {
            guard let service = Service(rawValue: name) else {
                throw BusinessHoursError("services.\(name): unknown service (one of \(Service.allCases.map(\.rawValue)))")
            }
            weekly[service] = try schedule(value, at: "services.\(name)")
        }
        return try BusinessHours(timeZone: zone, weekly: weekly.compactMapValues { $0 }, holidays: Set(days))
    }

    /// A week of intervals, or nil for `"always"`.
    private static func schedule(_ value: Any, at path: String) throws -> [Weekday: [OpeningInterval]]? {
        if let word = value as? String, word == "always" { return nil }
        guard let days = value as? [String: Any] else { throw BusinessHoursError("\(path): must be \"always\" or an object of weekdays") }
        var week: [Weekday: [OpeningInterval]] = [:]
        for (name, list) in days.sorted(by: { $0.key < $1.key }) {
            guard let day = Weekday(rawValue: name) else {
                throw BusinessHoursError("\(path).\(name): unknown weekday (one of \(Weekday.allCases.map(\.rawValue)))")
            }
            guard let texts = list as? [String] else { throw BusinessHoursError("\(path).\(name): must be an array of \"HH:MM-HH:MM\"") }
            week[day] = try texts.enumerated().map { index, text in
                do {
                    return try OpeningInterval(parsing: text)
                } catch {
                    throw BusinessHoursError("\(path).\(name)[\(index)]: \(error)")
                }
            }
        }
        return week
    }

    private static func refuseUnknownKeys(_ object: [String: Any], allowed: Set<String>, at path: String) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw BusinessHoursError("\(path)\(unknown): unknown key (expected \(allowed.sorted()))")
        }
    }
}
