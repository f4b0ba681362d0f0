import ArgumentParser
import Foundation
import JembatanCore
import JembatanServer

/// How the office works: opening hours, routing, waiting, complaints, figures.
struct OfficeOptions: ParsableArguments {
    @Option(help: "Opening hours per service and holidays, a JSON file (see Scripts/hours.example.json). Always open without it.")
    var hours: String?

    @Option(help: "Tell a waiting applicant honestly after this many minutes and offer to leave a message (0: never).")
    var maxWaitMinutes: Double = 20

    @Option(help: "Sessions a staff member takes at once when their token has no capacity claim.")
    var defaultCapacity = 3

    @Option(help: "Seconds a staff member's sessions wait for them to reconnect before the applicants go back to the queue.")
    var staffGraceSeconds: Double = 60

    @Option(
        name: .customLong("route"),
        help: ArgumentHelp(
            "Which roles serve a service, e.g. --route complaint=officer,counsellor (repeatable).", valueName: "service=roles"))
    var routes: [String] = []

    @Option(name: .customLong("office"), help: "This office's name in the figures (GET /api/stats?group_by=office).")
    var name = "main"

    @Option(help: "Working days for a complaint's first answer (weekends and --hours holidays do not count).")
    var complaintAnswerDays = 5

    @Flag(help: "Tell a session's staff its rating and comment (by default they see only aggregates).")
    var ratingsVisibleToStaff = false

    @Flag(help: "Never serve an applicant through an interpreter when nobody online speaks their language.")
    var noInterpreterFallback = false

    func validate() throws {
        guard maxWaitMinutes >= 0 else { throw ValidationError("--max-wait-minutes must be 0 or more") }
        guard (1...60).contains(complaintAnswerDays) else { throw ValidationError("--complaint-answer-days must be 1...60") }
        guard defaultCapacity >= 1 else { throw ValidationError("--default-capacity must be at least 1") }
        guard (1...3600).contains(staffGraceSeconds) else { throw ValidationError("--staff-grace-seconds must be 1...3600") }
        _ = try routing()
    }

    func apply(to configuration: inout ServerConfiguration) throws {
        configuration.broker.hours = try openingHours(timeZone: configuration.timeZone)
        configuration.broker.maxWaitSeconds = maxWaitMinutes * 60
        configuration.broker.defaultCapacity = defaultCapacity
        configuration.broker.staffGraceSeconds = staffGraceSeconds
        configuration.broker.routing = try routing()
        configuration.broker.interpreterFallback = !noInterpreterFallback
        configuration.broker.complaintAnswerWorkingDays = complaintAnswerDays
        configuration.broker.ratingsVisibleToStaff = ratingsVisibleToStaff
        configuration.office = name
    }

    /// The standard map with `--route` entries replacing their service's roles.
    func routing() throws -> ServiceRouting {
        var routing = ServiceRouting.standard
        for entry in routes {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let service = Service(rawValue: parts[0]) else {
                throw ValidationError(
                    "--route \(entry): expected service=role[,role] with a service of \(Service.allCases.map(\.rawValue))")
            }
            let roles = parts[1].split(separator: ",").map { Role(rawValue: String($0)) }
            guard !roles.isEmpty, roles.allSatisfy({ $0 == .officer || $0 == .counsellor }) else {
                throw ValidationError("--route \(entry): roles must be officer and/or counsellor")
            }
            routing.rolesByService[service] = Set(roles.compactMap { $0 })
        }
        return routing
    }

    func openingHours(timeZone: String) throws -> BusinessHours {
        guard let hours else { return .alwaysOpen }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: hours))
        } catch {
            throw ValidationError("--hours: cannot read \(hours)")
        }
        do {
            return try BusinessHours.load(json: data, officeTimeZone: timeZone)
        } catch {
            throw ValidationError("--hours: \(error)")
        }
    }

}
