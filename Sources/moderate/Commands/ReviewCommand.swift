import ArgumentParser
import Foundation
import ModerateCore
#if canImport(Glibc)
import Glibc
#endif

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review the held comments, one screen each: a approve, r reject, s skip, u undo, ? help, q quit.",
        discussion: """
            Shows the held comments no person has decided yet, oldest first, with the text the rules \
            fired on highlighted. Each decision is written at once, like `moderate decide`'s (a line \
            of decisions.jsonl and the record in its new queue, through the journal, under the run \
            lock for the moment it writes), so quitting or being killed loses nothing decided. Needs \
            a terminal; for scripts use `moderate decide`. NO_COLOR turns colours off. \
            \(Outcome.helpText([.ok, .usage, .ruleErrors, .noInput]))
            """
    )

    @Option(name: .long, help: ArgumentHelp("The queue directory.", valueName: "dir"))
    var queues = "queues"

    @Option(name: .long, help: ArgumentHelp("A rules directory: marks comments held by other rules (another fingerprint).", valueName: "dir"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("Who decides (default: the account's user name).", valueName: "name"))
    var reviewer: String?

    @Option(name: .long, help: ArgumentHelp("Only comments this rule fired on (e.g. spam.copies).", valueName: "rule-id"))
    var rule: String?

    @Option(name: .long, help: ArgumentHelp("Only comments on this post (its id).", valueName: "post"))
    var post: String?

    @Option(name: .long, help: ArgumentHelp("Write this review's metrics (Prometheus text format, for node_exporter's textfile collector) to this file when it ends; use another file than run's.", valueName: "file"))
    var metrics: String?

    @OptionGroup var access: RuleFileAccess

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            printError("moderate review: needs a terminal (standard input and output); without one, decide with `moderate decide --queues \(queues) --approve ID... --reject ID...` or `--from FILE`")
            throw Outcome.usage.exitCode
        }
        let fingerprint = try rules.map { try loadRulesOrExit($0, access.loadOptions).fingerprint }
        let held: [HeldComment]
        do {
            held = try HeldComments.scan(queueDirectory: queues, history: try DecisionLog.read(queueDirectory: queues),
                                         filter: ReviewFilter(rule: rule, post: post))
        } catch {
            printError("moderate: cannot read the queues in \(queues): \(error)")
            throw Outcome.noInput.exitCode
        }
        let started = Date()
        guard !held.isEmpty else {
            printError("moderate review: nothing held to review in \(queues)" + (rule != nil || post != nil ? " (with this filter)" : ""))
            try writeMetrics(approved: 0, rejected: 0, undone: 0, started: started)
            return
        }
        let session = ReviewSession(recorder: DecisionRecorder(queueDirectory: queues, reviewer: reviewer ?? ReviewerName.default()),
                                    pending: held)
        ReviewScreen(session: session, useColor: ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true,
                     currentFingerprint: fingerprint).run()
        let counts = session.counts
        printError("moderate review: \(counts.approved) approved, \(counts.rejected) rejected, \(counts.undone) undone, \(counts.decidedElsewhere) decided by someone else meanwhile, \(session.pending.count) left (\(queues)/\(DecisionLog.fileName))")
        try writeMetrics(approved: counts.approved, rejected: counts.rejected, undone: counts.undone, started: started)
    }

    /// `--metrics FILE`: what this review decided, and the backlog left. The names differ from
    /// `run`'s (`moderate_review_…`), as node_exporter refuses one metric in two files.
    private func writeMetrics(approved: Int, rejected: Int, undone: Int, started: Date) throws {
        guard let metrics else { return }
        var samples: [MetricSample] = []
        for (decision, count) in [("approve", approved), ("reject", rejected), ("undo", undone)] {
            samples.append(MetricSample(name: "moderate_review_decisions", help: "Decisions the last review wrote, by kind.",
                                        labels: [("decision", decision)], value: Double(count)))
        }
        samples.append(MetricSample(name: "moderate_review_duration_seconds", help: "How long the last review lasted.",
                                    value: Date().timeIntervalSince(started)))
        samples.append(MetricSample(name: "moderate_review_finished_timestamp_seconds", help: "When the last review ended (Unix time).",
                                    value: Date().timeIntervalSince1970))
        // The whole backlog, not only what a --rule or --post filter showed.
        if let backlog = try? QueueState.read(queueDirectory: queues, queues: [.hold]).heldBacklog {
            samples.append(MetricSample(name: "moderate_review_hold_backlog", help: "Held comments no person has decided yet, when the last review ended.",
                                        value: Double(backlog)))
        }
        do {
            try MetricsFile.write(samples, to: metrics)
        } catch {
            printError("moderate review: cannot write the metrics to \(metrics.terminalSafe): \(error)")
            throw Outcome.ioError.exitCode
        }
    }
}
