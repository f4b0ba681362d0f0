import Foundation

/// Opening hours per service in the office's time zone: intervals per weekday (several a
/// day; `22:00-02:00` runs past midnight), and holidays on which nothing opens (an interval
/// that began the evening before still runs to its end). A service without hours is always
/// open; ``alwaysOpen`` has none.
public struct BusinessHours: Sendable, Equatable {
    public static let alwaysOpen = BusinessHours()

    /// IANA time zone of the office (`Asia/Jakarta`, `Asia/Makassar`, `Asia/Jayapura`, …).
    public let timeZone: String
    let weekly: [Service: [Weekday: [OpeningInterval]]]
    /// Holidays as `YYYY-MM-DD` in the office's time zone.
    let holidays: Set<String>
    private let calendar: Calendar

    private init() {
        timeZone = "UTC"
        weekly = [:]
        holidays = []
        calendar = Self.calendar(TimeZone(identifier: "UTC")!)
    }

    public init(timeZone: String, weekly: [Service: [Weekday: [OpeningInterval]]], holidays: Set<String>) throws {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw BusinessHoursError("time_zone: \"\(timeZone)\" is not an IANA time zone")
        }
        for day in holidays.sorted() where Self.parseDay(day, in: Self.calendar(zone)) == nil {
            throw BusinessHoursError("holidays: \"\(day)\" is not a date as YYYY-MM-DD")
        }
        // Intervals made in code skip `init(parsing:)`; check them the same way.
        for service in Service.allCases {
            for day in Weekday.allCases {
                for (index, interval) in (weekly[service]?[day] ?? []).enumerated() where !interval.isValid {
                    throw BusinessHoursError(
                        "services.\(service.rawValue).\(day.rawValue)[\(index)]: \(interval.start)-\(interval.end) is not within 0-1440 minutes"
                    )
                }
            }
        }
        self.timeZone = timeZone
        self.weekly = weekly
        self.holidays = holidays
        self.calendar = Self.calendar(zone)
    }

    public static func == (a: BusinessHours, b: BusinessHours) -> Bool {
        a.timeZone == b.timeZone && a.weekly == b.weekly && a.holidays == b.holidays
    }

    /// False: the service is always open.
    public func hasHours(_ service: Service) -> Bool { weekly[service] != nil }

    public func isOpen(_ service: Service, at date: Date) -> Bool {
        guard let week = weekly[service] else { return true }
        let day = calendar.startOfDay(for: date)
        // Wall-clock time, not time elapsed since midnight: they differ on DST change days.
        let clock = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (clock.hour ?? 0) * 60 + (clock.minute ?? 0)
        // Today's intervals (unless a holiday), and yesterday's that run past midnight.
        if !isHoliday(day), let today = Weekday(day, calendar) {
            if (week[today] ?? []).contains(where: { $0.start <= minute && minute < $0.todayEnd }) { return true }
        }
        guard let before = calendar.date(byAdding: .day, value: -1, to: day), !isHoliday(before), let yesterday = Weekday(before, calendar)
        else { return false }
        return (week[yesterday] ?? []).contains { $0.isOvernight && minute < $0.end }
    }

    /// `date` itself when open now; else the next opening within about 400 days; nil when
    /// the service never opens.
    public func nextOpening(_ service: Service, after date: Date) -> Date? {
        guard let week = weekly[service] else { return date }
        if isOpen(service, at: date) { return date }
        guard week.values.contains(where: { !$0.isEmpty }) else { return nil }
        var day = calendar.startOfDay(for: date)
        for _ in 0..<400 {
            if !isHoliday(day), let weekday = Weekday(day, calendar) {
                for interval in (week[weekday] ?? []).sorted(by: { $0.start < $1.start }) {
                    // A start inside a DST gap becomes the first moment after it.
                    let hour = interval.start / 60
                    guard let opens = calendar.date(bySettingHour: hour, minute: interval.start % 60, second: 0, of: day) else { continue }
                    if opens > date { return opens }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: next)
        }
        return nil
    }

    /// The day (`YYYY-MM-DD`, office time) `count` working days after `date`'s day: Saturdays,
    /// Sundays and the holidays do not count.
    public func workingDays(_ count: Int, after date: Date, officeTimeZone: String) -> String {
        var calendar = self.calendar
        if let zone = TimeZone(identifier: officeTimeZone) { calendar.timeZone = zone }
        var day = calendar.startOfDay(for: date)
        var left = count
        while left > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day
            let weekday = calendar.component(.weekday, from: day)
            if weekday != 1 && weekday != 7 && !holidays.contains(Self.dayString(day, calendar)) { left -= 1 }
        }
        return Self.dayString(day, calendar)
    }

    private static func dayString(_ day: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    private func isHoliday(_ day: Date) -> Bool {
        guard !holidays.isEmpty else { return false }
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return holidays.contains(String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
    }

    private static func parseDay(_ text: String, in calendar: Calendar) -> Date? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.map(\.count) == [4, 2, 2], fields.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }) else { return nil }
        let parts = fields.compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}

public enum Weekday: String, CaseIterable, Sendable {
    case mon, tue, wed, thu, fri, sat, sun

    init?(_ day: Date, _ calendar: Calendar) {
        // Foundation counts Sunday as 1.
        let all: [Weekday] = [.sun, .mon, .tue, .wed, .thu, .fri, .sat]
        let index = calendar.component(.weekday, from: day) - 1
        guard all.indices.contains(index) else { return nil }
        self = all[index]
    }
}

/// Minutes after midnight; `end <= start` runs into the next day (`22:00-02:00`).
public struct OpeningInterval: Sendable, Equatable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `"08:00-12:00"`; `24:00` is allowed as an end.
    public init(parsing text: String) throws {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { Self.minutes(String($0)) }
        guard bounds.count == 2, let start = bounds[0], let end = bounds[1], start < 24 * 60, start != end else {
            throw BusinessHoursError("\"\(text)\" is not HH:MM-HH:MM")
        }
        self.init(start: start, end: end)
    }

    var isOvernight: Bool { end <= start }
    var isValid: Bool { (0..<24 * 60).contains(start) && (0...24 * 60).contains(end) && start != end }
    /// Where the interval ends within its first day.
    var todayEnd: Int { isOvernight ? 24 * 60 : end }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { ("0"..."9").contains($0) } }), let h = Int(parts[0]),
            let m = Int(parts[1]),
            (0...24).contains(h), (0..<60).contains(m), h < 24 || m == 0
        else { return nil }
        return h * 60 + m
    }
}

/// A configuration mistake, naming the field and value at fault.
public struct BusinessHoursError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
