import ArgumentParser
import Foundation
import ModerateCore
#if canImport(Glibc)
import Glibc
#endif

extension ActionTarget: ExpressibleByArgument {}
extension DisqusRequests.RejectWith: ExpressibleByArgument {}

/// `moderate actions`: what the site must do to match the queues and people's decisions,
/// written to stdout (README, "Applying decisions to the site").
struct Actions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write what the site must do to match the queues: a WP-CLI script, Disqus API requests, or CSV.",
        discussion: """
            Each comment's current queue is its last decision in decisions.jsonl, else the queue \
            its run record is in. wp-cli: a shell script of `wp comment approve|unapprove|spam ID…` \
            with WordPress's own comment ids, leaving out comments whose WordPress status already \
            matches. disqus: one JSON line per posts/approve, posts/spam (or posts/remove) request. \
            csv: id,decision. An action emitted before is not emitted again (the queue directory's \
            .moderate/actions-emitted.jsonl) unless the comment's state changed, or with --all. \
            --since TIME (ISO 8601) keeps decisions made after TIME and, for comments only the run \
            decided, comments dated after it.
            """ + " " + Outcome.helpText([.ok, .usage, .noInput, .ioError])
    )

    @Option(name: .customLong("for"), help: ArgumentHelp("What to write: wp-cli, disqus or csv.", valueName: "target"))
    var target: ActionTarget

    @Option(name: .long, help: ArgumentHelp("The queue directory.", valueName: "dir"))
    var queues = "queues"

    @Option(name: .long, help: ArgumentHelp("Only decisions (and run-decided comments dated) after this ISO 8601 time.", valueName: "time"))
    var since: String?

    @Flag(name: .long, help: "Emit every action again, also those emitted before.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("disqus: reject with posts/spam (default) or posts/remove.", valueName: "spam|remove"))
    var rejectWith: DisqusRequests.RejectWith = .spam

    func validate() throws {
        if let since, QueueTime.parse(since) == nil {
            throw ValidationError("--since needs an ISO 8601 time, as in 2026-12-01T00:00:00Z or 2026-12-01")
        }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: queues, isDirectory: &isDirectory), isDirectory.boolValue else {
            printError("moderate: \(queues): no queue directory (moderate run makes it)")
            throw Outcome.noInput.exitCode
        }
        let ledger: ActionsLedger, state: QueueState
        do {
            // The ledger first: its lock keeps two `actions` on one directory apart.
            ledger = try ActionsLedger(queueDirectory: queues, target: target)
            state = try QueueState.read(queueDirectory: queues)
        } catch {
            printError("moderate: \(error)")
            throw Outcome.ioError.exitCode
        }
        let plan = ActionPlan(state: state, target: target, since: since.flatMap(QueueTime.parse),
                              emitted: all ? nil : ledger.emitted)
        warnAbout(state, plan, ledger)

        let output: [UInt8]
        switch target {
        case .wpCLI: output = WPCLIScript.render(plan)
        case .disqus: output = DisqusRequests.render(plan, rejectWith: rejectWith)
        case .csv: output = DecisionCSV.render(plan)
        }
        do {
            try writeToStandardOutput(output)
            // Only once every byte is out: a failed write leaves them to be emitted next time.
            try ledger.record(plan.items.map { ($0.id, $0.action) })
        } catch {
            printError("moderate: \(error)")
            throw Outcome.ioError.exitCode
        }
        printError("moderate: " + ActionsSummary.line(plan, target: target))
    }

    private func warnAbout(_ state: QueueState, _ plan: ActionPlan, _ ledger: ActionsLedger) {
        for id in plan.invalidIDs {
            printError("moderate: warning: skipped id \"\(id.terminalSafe(maxCharacters: 60))\": not a \(target == .disqus ? "Disqus post" : "WordPress comment") id (digits only)")
        }
        let invalid = plan.leftOut[.invalidID, default: 0]
        if invalid > plan.invalidIDs.count {
            printError("moderate: warning: skipped \(invalid - plan.invalidIDs.count) more invalid ids")
        }
        for (file, count) in state.unreadableLines.sorted(by: { $0.key < $1.key }) {
            printError("moderate: warning: \(queues)/\(file): \(count) lines are not queue records; left out")
        }
        if !state.conflictingIDs.isEmpty {
            printError("moderate: warning: \(state.conflictingIDs.count) ids have reviewed records in two queues and no decision; they are treated as held")
        }
        if state.refusedDecisions > 0 {
            printError("moderate: warning: \(queues)/\(DecisionLog.fileName): \(state.refusedDecisions) lines are not a person's decision; left out")
        }
        if ledger.unreadableLines > 0 {
            printError("moderate: warning: \(ActionsLedger.fileName): \(ledger.unreadableLines) lines cannot be read; their actions are emitted again")
        }
    }
}

/// All of `bytes` to stdout, or an error; then synced when stdout is a file, so the ledger
/// never says more was emitted than is on disk.
private func writeToStandardOutput(_ bytes: [UInt8]) throws {
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
        if result < 0 && errno == EINTR { continue }
        guard result > 0 else { throw StandardOutputError(code: errno) }
        written += result
    }
    if fsync(STDOUT_FILENO) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP {
        throw StandardOutputError(code: errno)
    }
}

private struct StandardOutputError: Error, CustomStringConvertible {
    var code: Int32
    var description: String { "stdout: " + String(cString: strerror(code)) + "; nothing is recorded as emitted" }
}
