/// What a participant is to the office. Comes from the token's `role` claim.
public enum Role: String, Sendable, Codable, CaseIterable {
    case applicant, officer, counsellor, interpreter, supervisor
    /// The broker itself, as the sender of system messages.
    case system

    /// Staff take sessions from the queue.
    public var isStaff: Bool {
        switch self {
        case .officer, .counsellor, .interpreter: true
        case .applicant, .supervisor, .system: false
        }
    }
}

/// What an applicant asks for; decides which staff role serves the ticket.
public enum Service: String, Sendable, Codable, CaseIterable {
    case general, visa, stay_permit, registration, counselling, complaint
}

/// A staff member's wish to take sessions.
public enum Availability: String, Sendable, Codable {
    case available, away
}

/// Which staff roles serve which services. Configurable; the default follows the office's
/// organisation (counsellors counsel, officers handle procedures and complaints).
public struct ServiceRouting: Sendable {
    public var rolesByService: [Service: Set<Role>]

    public init(rolesByService: [Service: Set<Role>]) { self.rolesByService = rolesByService }

    public static let standard = ServiceRouting(rolesByService: [
        .general: [.officer], .visa: [.officer], .stay_permit: [.officer],
        .registration: [.officer], .counselling: [.counsellor], .complaint: [.officer],
    ])

    public func serves(_ role: Role, _ service: Service) -> Bool {
        rolesByService[service]?.contains(role) ?? false
    }
}
