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
    func jakarta(_ local: String) -> Date {
        ISO8601DateFormatter().date(from: local + "+07:00")!
    }

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
        ("[]", "JSON object"),
    ])
    func mistakesNameTheField(json: String, field: String) throws {
        let error = try #require(throws: BusinessHoursError.self) { try BusinessHours.load(json: Data(json.utf8)) }
        #expect(error.description.contains(field), "\(error.description)")
    }
}

@Suite struct BusinessHoursOfficeZoneTests {
    @Test func theFileTakesTheOfficeTimeZoneAndMustAgreeWithIt() throws {
        let bare = Data(#"{"default": {"mon": ["08:00-16:00"]}}"#.utf8)
        #expect(try BusinessHours.load(json: bare, officeTimeZone: "Asia/Makassar").timeZone == "Asia/Makassar")
        let other = Data(#"{"time_zone": "Asia/Jayapura"}"#.utf8)
        let error = try #require(throws: BusinessHoursError.self) { try BusinessHours.load(json: other, officeTimeZone: "Asia/Jakarta") }
        #expect(error.description.contains("--time-zone"))
    }
}
