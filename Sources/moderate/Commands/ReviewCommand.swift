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
        guard !held.isEmpty else {
            printError("moderate review: nothing held to review in \(queues)" + (rule != nil || post != nil ? " (with this filter)" : ""))
            return
        }
        let session = ReviewSession(recorder: DecisionRecorder(queueDirectory: queues, reviewer: reviewer ?? ReviewerName.default()),
                                    pending: held)
        ReviewScreen(session: session, useColor: ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true,
                     currentFingerprint: fingerprint).run()
        let counts = session.counts
        printError("moderate review: \(counts.approved) approved, \(counts.rejected) rejected, \(counts.undone) undone, \(counts.decidedElsewhere) decided by someone else meanwhile, \(session.pending.count) left (\(queues)/\(DecisionLog.fileName))")
        // TODO(metrics): `--metrics FILE` goes here once the metrics writer of the `actions`
        // branch is merged: held backlog = session.pending.count, decisions = counts.
    }
}
