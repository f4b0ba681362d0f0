import Foundation

/// Verifies a token and says who it belongs to. The server supplies the HS256 verifier;
/// tests supply their own. `nil` means unauthorized (bad signature, expired, malformed).
public protocol TokenVerifying: Sendable {
    func verify(_ token: String, now: Date) -> Identity?
}

/// The broker's rules that a deployment may change.
public struct BrokerConfiguration: Sendable {
    /// Longest message, in grapheme clusters (what a reader sees as characters).
    public var maxTextGraphemes = 4000
    /// Staff capacity when the token has no `capacity` claim.
    public var defaultCapacity = 3
    public var routing = ServiceRouting.standard
    /// Handling time assumed for a queue before any session of it has closed.
    public var initialHandlingSeconds: Double = 300
    /// Invalid frames in a row before a connection is closed with 1008.
    public var maxConsecutiveErrors = 20
    /// A staff member whose last connection dropped keeps their sessions this long; then
    /// the applicants go back to the front of the queue.
    public var staffGraceSeconds: Double = 60
    /// An applicant whose last connection dropped keeps their place in the queue this long.
    public var applicantGraceSeconds: Double = 180
    /// When nobody online speaks a queue's language, serve it through an interpreter who
    /// speaks it and a language of the staff member (if one is free).
    public var interpreterFallback = true
    /// After this long in the queue the applicant is told honestly and offered to leave a
    /// message (0 turns it off). The ticket keeps its place.
    public var maxWaitSeconds: Double = 1200
    /// Opening hours per service in the office's time zone; always open by default.
    public var hours = BusinessHours.alwaysOpen
    /// Whether an interpreter who joins may read what was said before (a request may say otherwise).
    public var shareHistoryWithInterpreters = true
    /// Reply templates and notification templates (`Locales/manifest/templates.json`).
    public var templates = ReplyTemplates.none
    /// Outcome codes staff may record (each has a localised name `outcome.<code>`).
    public var outcomeCodes = ["resolved", "referred", "documents_requested", "follow_up_needed", "no_show", "other"]
    /// Working days (weekends and the `hours` holidays do not count) for a complaint's first answer.
    public var complaintAnswerWorkingDays = 5
    /// How long after a session closed its applicant may still rate it.
    public var feedbackWindowSeconds: Double = 86400
    /// Whether the staff of a session are told its rating (`feedback.received`); by default
    /// they only see aggregates (`GET /api/stats`), never who rated what.
    public var ratingsVisibleToStaff = false
    /// Rates, open tickets and sessions per person (see ``Limits``).
    public var limits = Limits()
    /// Messages per page when replaying a session on `resume`.
    public var replayPageSize = 500
    /// Active-active cluster mode: several nodes serve at once on one PostgreSQL. The broker
    /// records who is connected here, assigns tickets only to staff connected here, and
    /// follows the others' changes through ``Broker/requestSnapshot()``.
    public var clusterActive = false

    public init() {}
}
