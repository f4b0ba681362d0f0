import ArgumentParser
import Foundation
import JembatanCore
import JembatanText

/// Routing decisions per second of the broker core with a long queue and many staff, and how
/// the cost per decision grows with both (it must not grow as tickets × staff).
struct RoutingBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jembatan-bench-routing", abstract: "Measure routing decisions per second of the broker core.")

    @Option(help: "Staff members (officers and counsellors).") var staff = 1000
    @Option(help: "Tickets kept waiting.") var tickets = 10000
    @Option(help: "Sessions per staff member.") var capacity = 3
    @Option(help: "Routing decisions measured per run.") var decisions = 5000
    @Option(help: "Runs; the median is reported.") var runs = 5
    @Option(help: "Folder of locale files.") var locales = "Locales"
    @Flag(help: "Also measure 1,000 × 100 and 20,000 × 2,000 to show how the cost scales.") var scaling = false

    func run() throws {
        let localizer = Localizer(catalog: try TemplateCatalog(directory: URL(fileURLWithPath: locales)))
        print("routing: \(tickets) tickets waiting, \(staff) staff × capacity \(capacity), \(decisions) decisions per run")
        var rates: [Double] = []
        for run in 1...runs {
            let figures = checked(
                Scenario(staffCount: staff, ticketCount: tickets, capacity: capacity, localizer: localizer)
                    .run(decisions: decisions, seed: UInt64(run)))
            let rate = Double(figures.decisions) / figures.seconds
            rates.append(rate)
            print(
                String(
                    format: "  run %d: %8.0f decisions/s  (%d decisions, %.1f frames each)", run, rate, figures.decisions,
                    Double(figures.frames) / Double(max(1, figures.decisions))))
        }
        print(String(format: "median: %.0f decisions/s", median(rates)))
        guard scaling else { return }
        print("\nscaling (median of \(runs)):\n     tickets      staff   µs/decision   frames/decision   µs/decision, applicants offline")
        for (ticketCount, staffCount) in [(1000, 100), (10000, 1000), (20000, 2000)] {
            var micros: [Double] = []
            var frames: [Double] = []
            var quiet: [Double] = []
            for run in 1...runs {
                var scenario = Scenario(staffCount: staffCount, ticketCount: ticketCount, capacity: capacity, localizer: localizer)
                let figures = checked(scenario.run(decisions: decisions, seed: UInt64(run)))
                micros.append(figures.seconds * 1e6 / Double(max(1, figures.decisions)))
                frames.append(Double(figures.frames) / Double(max(1, figures.decisions)))
                scenario.applicantsOnline = false
                let alone = checked(scenario.run(decisions: decisions, seed: UInt64(run)))
                quiet.append(alone.seconds * 1e6 / Double(max(1, alone.decisions)))
            }
            print(
                String(
                    format: "  %10d %10d %13.1f %17.1f %33.1f", ticketCount, staffCount, median(micros), median(frames), median(quiet)))
        }
    }

    /// Says so when the broker refused something: the run then measured fewer tickets than claimed.
    func checked(_ figures: Scenario.Figures) -> Scenario.Figures {
        if figures.errors > 0 {
            FileHandle.standardError.write(Data("warning: the broker sent \(figures.errors) error frames in this run\n".utf8))
        }
        return figures
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

RoutingBenchmark.main()
