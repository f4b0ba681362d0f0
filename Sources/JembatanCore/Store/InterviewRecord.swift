import Foundation

public enum InterviewState: String, Sendable, Codable {
    case booked, opened, cancelled
}

/// An interview booked ahead: a slot (UTC) for an applicant, the staff member who booked it and
/// the interpreter reserved for its language pair. At `startsAt` the broker opens its session.
public struct InterviewRecord: Sendable, Equatable {
    public var id: InterviewID
    public var service: Service
    public var applicant: ParticipantID
    public var staff: ParticipantID
    public var interpreter: ParticipantID
    /// The pair, sorted (an interpreter serves it either way).
    public var languages: [String]
    public var startsAt: Date
    public var durationSeconds: Int
    public var state: InterviewState
    public var session: SessionID?
    public var createdAt: Date

    public init(
        id: InterviewID, service: Service, applicant: ParticipantID, staff: ParticipantID, interpreter: ParticipantID,
        languages: [String], startsAt: Date, durationSeconds: Int, state: InterviewState = .booked, session: SessionID? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.service = service
        self.applicant = applicant
        self.staff = staff
        self.interpreter = interpreter
        self.languages = languages
        self.startsAt = startsAt
        self.durationSeconds = durationSeconds
        self.state = state
        self.session = session
        self.createdAt = createdAt
    }

    public var endsAt: Date { startsAt.addingTimeInterval(Double(durationSeconds)) }

    public func overlaps(_ other: InterviewRecord) -> Bool {
        startsAt < other.endsAt && other.startsAt < endsAt
    }

    public func involves(_ participant: ParticipantID) -> Bool {
        applicant == participant || staff == participant || interpreter == participant
    }
}
