import Foundation

/// A follow-up a staff member set on a session's outcome.
public struct FollowUp: Sendable, Equatable {
    public var session: SessionID
    public var followUp: String
    public var outcome: String
    public var service: Service
    public var language: String
    public var applicant: ParticipantID
    public var applicantName: String

    public init(
        session: SessionID, followUp: String, outcome: String, service: Service, language: String, applicant: ParticipantID,
        applicantName: String
    ) {
        self.session = session
        self.followUp = followUp
        self.outcome = outcome
        self.service = service
        self.language = language
        self.applicant = applicant
        self.applicantName = applicantName
    }
}

/// A notification from the application system for one applicant, kept until they have seen it.
public struct NotificationRecord: Sendable, Equatable {
    /// The caller's id: sending it again changes nothing.
    public var id: String
    public var applicant: ParticipantID
    public var key: String
    public var args: JSONObject
    public var createdAt: Date

    public init(id: String, applicant: ParticipantID, key: String, args: JSONObject, createdAt: Date) {
        self.id = id
        self.applicant = applicant
        self.key = key
        self.args = args
        self.createdAt = createdAt
    }
}
