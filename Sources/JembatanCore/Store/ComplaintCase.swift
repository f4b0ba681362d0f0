import Foundation

public enum ComplaintStatus: String, Sendable, Codable, CaseIterable {
    case open, in_progress, answered, resolved
}

/// A complaint as a case: a number people can quote (`ADU-2026-000123`), a deadline for the
/// first answer, and a status that outlives any one session.
public struct ComplaintCase: Sendable, Equatable {
    public var number: String
    public var applicant: ParticipantID
    /// The staff member the complaint is about, who never handles it.
    public var about: ParticipantID?
    public var status: ComplaintStatus
    /// The day (`YYYY-MM-DD`, office time) a first answer is due.
    public var answerBy: String
    public var openedAt: Date

    public init(
        number: String, applicant: ParticipantID, about: ParticipantID?, status: ComplaintStatus, answerBy: String, openedAt: Date
    ) {
        self.number = number
        self.applicant = applicant
        self.about = about
        self.status = status
        self.answerBy = answerBy
        self.openedAt = openedAt
    }
}
