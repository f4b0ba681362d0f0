import Foundation
import Testing

@testable import JembatanCore

/// Opening hours in the office's time zone. 2026-11-30 is a Monday; Jakarta is UTC+7,
/// Jayapura UTC+9.
@Suite struct BusinessHoursTests {
    static let json = """
        {"time_zone": "Asia/Jakarta", "holidays": ["2026-12-25", "2026-12-26"],
         "default": {"mon": ["08:00-12:00", "13:00-16:00"], "tue": ["08:00-16:00"], "wed": ["08:00-16:00"],
                     "thu": ["08:00-16:00"], "fri": ["08:00-11:30"]},
         "services": {"counselling": {"thu": ["22:00-02:00"], "sun": ["20:00-24:00"], "mon": ["09:00-10:00"]},
                      "general": "always"}}
        """

    func hours(_ text: String = json) throws -> BusinessHours { try BusinessHours.load(json: Data(text.utf8)) }

    /// An instant written in Jakarta time.
    func jakarta(_ local: String) -> Date { rfc3339(local + "+07:00") }

    @Test func insideAndOutsideTheDayWithALunchGap() throws {
        let h = try hours()
        #expect(h.isOpen(.visa, at: jakarta("2026-11-30T08:00:00")))
        #expect(h.isOpen(.visa, at: jakarta("2026-11-30T11:59:00")))
        #expect(!h.isOpen(.visa, at: jakarta("2026-11-30T12:30:00")))
        #expect(h.nextOpening(.visa, after: jakarta("2026-11-30T12:30:00")) == jakarta("2026-11-30T13:00:00"))
        #expect(!h.isOpen(.visa, at: jakarta("2026-11-30T07:59:00")))
        #expect(!h.isOpen(.visa, at: jakarta("2026-11-30T16:00:00")))
        let now = jakarta("2026-11-30T09:00:00")
        #expect(h.nextOpening(.visa, after: now) == now)  // open now
    }

    @Test func afterTheWeekendItOpensOnMonday() throws {
        let h = try hours()
        let friday = jakarta("2026-12-04T11:45:00")
        #expect(!h.isOpen(.registration, at: friday))
        #expect(h.nextOpening(.registration, after: friday) == jakarta("2026-12-07T08:00:00"))
        // Closed for the evening: tomorrow morning.
        #expect(h.nextOpening(.registration, after: jakarta("2026-11-30T16:30:00")) == jakarta("2026-12-01T08:00:00"))
    }

    @Test func overnightIntervalsRunPastMidnightIncludingSundayIntoMonday() throws {
        let h = try hours()
        #expect(!h.isOpen(.counselling, at: jakarta("2026-12-03T21:59:00")))
        #expect(h.isOpen(.counselling, at: jakarta("2026-12-03T23:30:00")))
        #expect(h.isOpen(.counselling, at: jakarta("2026-12-04T01:59:00")))  // Friday night, Thursday's interval
        #expect(!h.isOpen(.counselling, at: jakarta("2026-12-04T02:00:00")))
        #expect(h.nextOpening(.counselling, after: jakarta("2026-12-04T02:00:00")) == jakarta("2026-12-06T20:00:00"))
        // Sunday 20:00-24:00 ends at midnight; Monday opens at 09:00.
        #expect(h.isOpen(.counselling, at: jakarta("2026-12-06T23:59:00")))
        #expect(!h.isOpen(.counselling, at: jakarta("2026-12-07T00:00:00")))
        #expect(h.nextOpening(.counselling, after: jakarta("2026-12-07T00:00:00")) == jakarta("2026-12-07T09:00:00"))
    }

    @Test func holidaysAreClosedAllDayButAnOvernightFromTheEveBeforeRunsOn() throws {
        let h = try hours()
        // 2026-12-24 is a Thursday: the counselling night shift starts before Christmas day.
        #expect(h.isOpen(.counselling, at: jakarta("2026-12-25T01:00:00")))
        #expect(!h.isOpen(.visa, at: jakarta("2026-12-25T09:00:00")))
        // Christmas (Fri) and the 26th (Sat) are holidays, then Sunday: visa opens Monday 28th.
        #expect(h.nextOpening(.visa, after: jakarta("2026-12-24T16:30:00")) == jakarta("2026-12-28T08:00:00"))
    }

    @Test func aRunOfHolidaysAcrossTheNewYearAndAnOvernightThatWouldStartOnOne() throws {
        let days: Set<String> = ["2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01"]
        let office = [Weekday.mon, .tue, .wed, .thu, .fri].map { ($0, [OpeningInterval(start: 480, end: 960)]) }
        let week = Dictionary(uniqueKeysWithValues: office).merging([.thu: [OpeningInterval(start: 1320, end: 120)]]) { $1 }  // 22:00-02:00
        let h = try BusinessHours(timeZone: "Asia/Jakarta", weekly: [.visa: week], holidays: days)
        #expect(h.nextOpening(.visa, after: jakarta("2026-12-23T16:00:00")) == jakarta("2027-01-04T08:00:00"))
        // Thursday the 31st is a holiday: its night shift never starts.
        #expect(!h.isOpen(.visa, at: jakarta("2026-12-31T23:00:00")))
        #expect(!h.isOpen(.visa, at: jakarta("2027-01-01T01:00:00")))
        #expect(h.isOpen(.visa, at: jakarta("2027-01-08T01:00:00")))  // an ordinary Thursday night
    }

    @Test func theSameInstantDiffersBetweenJakartaAndJayapura() throws {
        let jakartaHours = try hours()
        let jayapuraHours = try hours(Self.json.replacingOccurrences(of: "Asia/Jakarta", with: "Asia/Jayapura"))
        let instant = jakarta("2026-11-30T07:00:00")  // 09:00 in Jayapura
        #expect(!jakartaHours.isOpen(.visa, at: instant))
        #expect(jayapuraHours.isOpen(.visa, at: instant))
    }

    @Test func alwaysAndAbsentServices() throws {
        let h = try hours()
        #expect(!h.hasHours(.general) && h.isOpen(.general, at: jakarta("2026-12-25T03:00:00")))
        #expect(h.hasHours(.complaint))  // from the default
        let none = try hours(#"{"time_zone": "Asia/Makassar"}"#)
        #expect(!none.hasHours(.visa) && none.isOpen(.visa, at: jakarta("2026-12-25T03:00:00")))
        let never = try hours(#"{"time_zone": "Asia/Makassar", "services": {"visa": {}}}"#)
        #expect(never.nextOpening(.visa, after: jakarta("2026-12-01T03:00:00")) == nil)
        #expect(BusinessHours.alwaysOpen.isOpen(.visa, at: Date()))
    }

    @Test(arguments: [
        (#"{"time_zone": "Asia/Jakarta", "default": {"mon": ["8-12"]}}"#, "default.mon[0]"),
        (#"{"time_zone": "Asia/Jakarta", "default": {"monday": ["08:00-12:00"]}}"#, "default.monday"),
        (#"{"time_zone": "Mars/Olympus"}"#, "time_zone"),
        (#"{"time_zone": "Asia/Jakarta", "holidays": ["2026-13-01"]}"#, "holidays"),
        (#"{"time_zone": "Asia/Jakarta", "opening": {}}"#, "opening"),
        (#"{"time_zone": "Asia/Jakarta", "services": {"passports": "always"}}"#, "services.passports"),
        (#"{"time_zone": "Asia/Jakarta", "default": {"mon": ["08:00-08:00"]}}"#, "default.mon[0]"),
        (#"{"time_zone": "Asia/Jakarta", "default": {"mon": ["+8:00-12:00"]}}"#, "default.mon[0]"),
        (#"{"time_zone": "Asia/Jakarta", "default": {"tue": "08:00-12:00"}}"#, "default.tue"),
        (#"{"time_zone": "Asia/Jakarta", "services": {"visa": {"wed": ["08:00-25:00"]}}}"#, "services.visa.wed[0]"),
        (#"{"time_zone": "Asia/Jakarta", "services": {"visa": 5}}"#, "services.visa"),
        (#"{"time_zone": "Asia/Jakarta", "holidays": ["2026-02-30"]}"#, "2026-02-30"),
        (#"{"time_zone": "Asia/Jakarta", "holidays": ["2026-+1-01"]}"#, "2026-+1-01"),
        (#"{"time_zone": 7}"#, "time_zone"),
        ("[]", "JSON object"),
    ])
    func mistakesNameTheField(json: String, field: String) throws {
        let error = try #require(throws: BusinessHoursError.self) { try BusinessHours.load(json: Data(json.utf8)) }
        #expect(error.description.contains(field), "\(error.description)")
    }

    @Test func intervalsMadeInCodeAreCheckedToo() throws {
        let week: [Weekday: [OpeningInterval]] = [.fri: [OpeningInterval(start: 480, end: 720), OpeningInterval(start: 1500, end: 60)]]
        let error = try #require(throws: BusinessHoursError.self) {
            try BusinessHours(timeZone: "Asia/Jakarta", weekly: [.visa: week], holidays: [])
        }
        #expect(error.description.contains("services.visa.fri[1]"), "\(error.description)")
        let allDay = try BusinessHours(
            timeZone: "Asia/Jakarta", weekly: [.visa: [.fri: [OpeningInterval(parsing: "00:00-24:00")]]], holidays: [])
        #expect(allDay.isOpen(.visa, at: jakarta("2026-12-04T23:59:00")) && !allDay.isOpen(.visa, at: jakarta("2026-12-05T00:00:00")))
    }
}

/// Hours are wall-clock times even on the days a zone changes its clocks (Berlin, 2026:
/// 02:00 becomes 03:00 on 29 March, 03:00 becomes 02:00 on 25 October; both Sundays).
@Suite struct BusinessHoursDaylightSavingTests {
    let hours = try! BusinessHours(
        timeZone: "Europe/Berlin",
        weekly: [.visa: [.sun: [try! OpeningInterval(parsing: "02:30-04:00"), try! OpeningInterval(parsing: "08:00-12:00")]]],
        holidays: [])

    @Test func springForward() {
        #expect(!hours.isOpen(.visa, at: rfc3339("2026-03-29T07:30:00+02:00")))
        #expect(hours.isOpen(.visa, at: rfc3339("2026-03-29T08:00:00+02:00")))
        // 02:30 does not exist that night: it opens when the clocks jump to 03:00.
        #expect(hours.nextOpening(.visa, after: rfc3339("2026-03-29T01:00:00+01:00")) == rfc3339("2026-03-29T03:00:00+02:00"))
        #expect(hours.nextOpening(.visa, after: rfc3339("2026-03-29T04:00:00+02:00")) == rfc3339("2026-03-29T08:00:00+02:00"))
    }

    @Test func fallBack() {
        #expect(hours.isOpen(.visa, at: rfc3339("2026-10-25T11:30:00+01:00")))
        #expect(!hours.isOpen(.visa, at: rfc3339("2026-10-25T12:00:00+01:00")))
        #expect(hours.nextOpening(.visa, after: rfc3339("2026-10-25T05:00:00+01:00")) == rfc3339("2026-10-25T08:00:00+01:00"))
    }
}

/// An RFC 3339 instant with its offset.
private func rfc3339(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

@Suite struct BusinessHoursOfficeZoneTests {
    @Test func theFileTakesTheOfficeTimeZoneAndMustAgreeWithIt() throws {
        let bare = Data(#"{"default": {"mon": ["08:00-16:00"]}}"#.utf8)
        #expect(try BusinessHours.load(json: bare, officeTimeZone: "Asia/Makassar").timeZone == "Asia/Makassar")
        let other = Data(#"{"time_zone": "Asia/Jayapura"}"#.utf8)
        let error = try #require(throws: BusinessHoursError.self) { try BusinessHours.load(json: other, officeTimeZone: "Asia/Jakarta") }
        #expect(error.description.contains("--time-zone"))
    }
}
