/// One conversation as the generator sees it: the applicant's side and the staff side, what
/// each sent, had acknowledged and received from the other.
final class ChatSession {
    struct Side {
        var client: ChatClient?
        var outstanding = 0
        var sent = 0
        var acknowledged = 0
        var received = 0
        var sawClose = false
    }

    let id: String
    var applicant = Side()
    var staff = Side()
    var closeSent = false

    init(id: String) { self.id = id }

    var isActive: Bool { applicant.client != nil && staff.client != nil && !closeSent }

    /// Acknowledged to one side but not (yet) delivered to the other.
    var undelivered: Int {
        max(0, applicant.acknowledged - staff.received) + max(0, staff.acknowledged - applicant.received)
    }

    subscript(staffSide: Bool) -> Side {
        get { staffSide ? staff : applicant }
        set {
            if staffSide { staff = newValue } else { applicant = newValue }
        }
    }
}
