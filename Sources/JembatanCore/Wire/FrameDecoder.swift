import Foundation
import JembatanText

/// Turns a text frame into a ``DecodedFrame`` or a ``FrameError`` that names what is wrong.
public enum FrameDecoder {
    public static let maxHistoryLimit = 500

    public static func decode(_ bytes: [UInt8]) -> Result<DecodedFrame, FrameError> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return .failure(FrameError(.bad_request, detail: "not valid JSON"))
        }
        guard case .object(let object) = value else {
            return .failure(FrameError(.bad_request, detail: "a frame must be a JSON object"))
        }
        var requestID: String?
        if let id = object["id"] {
            guard case .string(let s) = id, s.utf8.count <= 128 else {
                return .failure(FrameError(.bad_request, detail: "field 'id' must be a short string"))
            }
            requestID = s
        }
        do {
            let frame = try decodeFrame(FieldReader(object: object, requestID: requestID))
            return .success(DecodedFrame(id: requestID, frame: frame))
        } catch {
            return .failure(error)
        }
    }

    static func decodeFrame(_ fields: FieldReader) throws(FrameError) -> ClientFrame {
        let type = try fields.string("type")
        switch type {
        case "hello":
            return .hello(
                token: try fields.string("token"), locale: try fields.optionalString("locale"),
                resume: try resumePoints(fields))
        case "request":
            let language = try fields.string("language")
            guard LanguageTag.isWellFormed(language) else {
                throw FrameError(.bad_request, detail: "field 'language' must be a BCP 47 tag", requestID: fields.requestID)
            }
            return .request(
                service: try fields.oneOf("service", Service.self), language: language,
                note: try fields.optionalString("note"), message: try fields.optionalString("message"),
                about: try fields.optionalString("about").map { ParticipantID($0) }, caseNumber: try fields.optionalString("case"))
        case "feedback":
            let rating = try fields.int("rating")
            guard (1...5).contains(rating) else {
                throw FrameError(.bad_request, detail: "'rating' must be 1 to 5", requestID: fields.requestID)
            }
            return .feedback(SessionID(try fields.string("session")), rating: rating, comment: try fields.optionalString("comment"))
        case "complaint.update":
            return .complaintUpdate(number: try fields.string("case"), status: try fields.oneOf("status", ComplaintStatus.self))
        case "cancel":
            return .cancel(TicketID(try fields.string("ticket")))
        case "status":
            return .status(try fields.oneOf("availability", Availability.self))
        case "send":
            return .send(try outgoingMessage(fields))
        case "typing":
            return .typing(SessionID(try fields.string("session")), on: try fields.bool("on"))
        case "read":
            return .read(SessionID(try fields.string("session")), seq: try fields.int("seq"))
        case "history":
            let limit = try fields.optionalInt("limit") ?? 100
            let after = try fields.optionalInt("after_seq") ?? 0
            let before = try fields.optionalInt("before_seq")
            guard (1...maxHistoryLimit).contains(limit), after >= 0, (before ?? 1) >= 1 else {
                throw FrameError(
                    .bad_request, detail: "'limit' must be 1...\(maxHistoryLimit), 'after_seq' >= 0, 'before_seq' >= 1",
                    requestID: fields.requestID)
            }
            let session = SessionID(try fields.string("session"))
            guard let before else { return .history(session, afterSeq: after, limit: limit, backwards: false) }
            // Paging back: the `limit` messages just before `before_seq`.
            let count = min(limit, before - 1)
            return .history(session, afterSeq: before - 1 - count, limit: count, backwards: true)
        case "close":
            return .close(SessionID(try fields.string("session")), reason: try fields.optionalString("reason") ?? "resolved")
        case "queues":
            return .queues
        case "leave":
            return .leave(SessionID(try fields.string("session")))
        case "transfer":
            return .transfer(SessionID(try fields.string("session")), try transferTarget(fields), note: try fields.optionalString("note"))
        case "templates":
            return .templates
        case "note":
            return .note(try outgoingMessage(fields))
        case "outcome":
            return .outcome(
                SessionID(try fields.string("session")), code: try fields.string("code"), followUp: try fields.optionalString("follow_up"))
        case "sessions":
            return .sessions
        case "notify":
            let id = try fields.string("notification_id")
            guard (1...128).contains(id.utf8.count), !id.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw FrameError(
                    .bad_request, detail: "'id' must be 1 to 128 bytes without control characters", requestID: fields.requestID)
            }
            return .notify(
                id: id, applicant: ParticipantID(try fields.string("applicant")), key: try fields.string("key"),
                args: try fields.optionalObject("args") ?? [:])
        case "notification.seen":
            let ids = try fields.optionalArray("ids")?.compactMap(\.stringValue) ?? []
            guard !ids.isEmpty, ids.count <= 500 else {
                throw FrameError(.bad_request, detail: "'ids' must be 1 to 500 notification ids", requestID: fields.requestID)
            }
            return .notificationsSeen(ids)
        case "interpreter.request":
            let share: Bool? = try fields.object["share_history"] == nil ? nil : fields.bool("share_history")
            return .interpreterRequest(SessionID(try fields.string("session")), languages: try languagePair(fields), shareHistory: share)
        case "interview.schedule":
            return .interviewSchedule(try interviewBooking(fields))
        case "interview.cancel":
            return .interviewCancel(InterviewID(try fields.string("interview")))
        case "leave_message":
            return .leaveMessage(TicketID(try fields.string("ticket")), text: try fields.string("text"))
        default:
            throw FrameError(.bad_request, key: "error.unknown_type", detail: "unknown type", requestID: fields.requestID)
        }
    }

    static func outgoingMessage(_ fields: FieldReader) throws(FrameError) -> OutgoingMessage {
        let clientID = try fields.string("client_msg_id")
        guard (1...128).contains(clientID.utf8.count), !clientID.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw FrameError(
                .bad_request, detail: "'client_msg_id' must be 1 to 128 bytes without control characters", requestID: fields.requestID)
        }
        let lang = try fields.optionalString("lang")
        if let lang, !LanguageTag.isWellFormed(lang) {
            throw FrameError(.bad_request, detail: "field 'lang' must be a BCP 47 tag", requestID: fields.requestID)
        }
        let template = try fields.optionalString("template")
        return OutgoingMessage(
            session: SessionID(try fields.string("session")),
            clientMessageID: ClientMessageID(clientID), text: template == nil ? try fields.string("text") : "",
            lang: lang, replyTo: try fields.optionalInt("reply_to"),
            translationOf: try fields.optionalInt("translation_of"), template: template,
            templateArgs: template == nil ? nil : (try fields.optionalObject("args") ?? [:]))
    }

    /// `to`: `{"participant": id}` or `{"role": r, "language"?: tag, "service"?: s}`.
    static func transferTarget(_ fields: FieldReader) throws(FrameError) -> TransferTarget {
        guard let object = try fields.optionalObject("to") else { throw fields.missing("to") }
        let to = FieldReader(object: object, requestID: fields.requestID)
        if let person = try to.optionalString("participant") { return .person(ParticipantID(person)) }
        let role = try to.oneOf("role", Role.self)
        guard role == .officer || role == .counsellor else {
            throw FrameError(.bad_request, detail: "'to.role' must be officer or counsellor", requestID: fields.requestID)
        }
        let language = try to.optionalString("language")
        if let language, !LanguageTag.isWellFormed(language) {
            throw FrameError(.bad_request, detail: "field 'language' must be a BCP 47 tag", requestID: fields.requestID)
        }
        let service = try to.optionalString("service").map { name throws(FrameError) -> Service in
            guard let service = Service(rawValue: name) else {
                throw FrameError(.bad_request, detail: "unknown value for 'service'", requestID: fields.requestID)
            }
            return service
        }
        return .team(role, language: language.map(LanguageTag.normalise), service: service)
    }

    /// `languages`: two different BCP 47 tags, returned sorted (a pair has no direction).
    static func languagePair(_ fields: FieldReader) throws(FrameError) -> [String] {
        let languages = try fields.optionalArray("languages")?.compactMap(\.stringValue) ?? []
        let pair = Set(languages.map(LanguageTag.normalise))
        guard languages.count == 2, pair.count == 2, languages.allSatisfy(LanguageTag.isWellFormed) else {
            throw FrameError(.bad_request, detail: "'languages' must be two different BCP 47 tags", requestID: fields.requestID)
        }
        return pair.sorted()
    }

    static func interviewBooking(_ fields: FieldReader) throws(FrameError) -> InterviewBooking {
        guard let startsAt = TemplateArgument.date(rfc3339: try fields.string("at")) else {
            throw fields.mistyped("at", "an RFC 3339 time")
        }
        let minutes = try fields.optionalInt("duration_min") ?? 30
        guard (5...480).contains(minutes) else {
            throw FrameError(.bad_request, detail: "'duration_min' must be 5...480", requestID: fields.requestID)
        }
        let service = try fields.object["service"] == nil ? Service.general : fields.oneOf("service", Service.self)
        return InterviewBooking(
            applicant: ParticipantID(try fields.string("applicant")), startsAt: startsAt, durationMinutes: minutes,
            languages: try languagePair(fields), service: service,
            interpreter: try fields.optionalString("interpreter").map { ParticipantID($0) })
    }

    static func resumePoints(_ fields: FieldReader) throws(FrameError) -> [ResumePoint] {
        guard let items = try fields.optionalArray("resume") else { return [] }
        var points: [ResumePoint] = []
        for item in items {
            guard case .object(let object) = item else { throw fields.mistyped("resume", "an array of objects") }
            let reader = FieldReader(object: object, requestID: fields.requestID)
            points.append(ResumePoint(session: SessionID(try reader.string("session")), afterSeq: max(0, try reader.int("after_seq"))))
        }
        return points
    }
}
