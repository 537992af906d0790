import ArgumentParser
#if canImport(CMalloc)
import CMalloc
#endif
import Foundation
import Logging
import ModerateCore
import Synchronization

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Moderate comments: append each one to approve.jsonl, hold.jsonl or reject.jsonl.",
        discussion: """
            Input that is not a comment goes to errors.jsonl with its file and line; the batch goes on. \
            A comment whose id is already in a queue is skipped, so reruns add only what is new.
            """ + " " + Outcome.helpText([.ok, .badInput, .ruleErrors, .usage, .noInput, .ioError, .locked, .interrupted])
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("The queue directory, created if missing.", valueName: "dir"))
    var queues = "queues"

    @OptionGroup var input: InputOptions

    @Flag(name: .shortAndLong, help: "Print nothing on success: no summary, no progress line (errors and warnings still go to stderr).")
    var quiet = false

    @Flag(name: .long, help: "If another run holds the queue directory, wait for it instead of exiting with 75.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("Also write the run's outcome as JSON to this file, for monitoring.", valueName: "file"))
    var summaryJSON: String?

    @Option(name: .long, help: ArgumentHelp("Also write Prometheus metrics (counts per queue, errors, duration, held backlog) to this file, for node_exporter's textfile collector.", valueName: "file"))
    var metrics: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Threads that decide comments (default: every core). The output is the same for any number.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: LogLevelArgument = .init(.warning)

    func validate() throws {
        // Checked here, before the rules are loaded or a summary written: a usage error.
        if input.inputs.isEmpty { throw ValidationError("Missing expected argument '<input> ...' (- reads standard input)") }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() throws {
        let logger = makeLogger(level: logLevel.level)
        // A file-size limit (ulimit -f) must fail the write with EFBIG, not kill the process mid-batch.
        signal(SIGXFSZ, SIG_IGN)
        limitMallocArenas(jobs: jobs)
        let report = SummaryReport(path: summaryJSON, queues: queues, metricsPath: metrics)
        // What the run was blocked on when a stop signal could not be obeyed in time: the
        // queue lock (with --wait) before anything was read, or an input that sends nothing.
        let waitingForLock = WaitFlag()
        let stopSignals = StopSignals { signal in
            let name = StopSignals.name(of: signal)
            if waitingForLock.isSet {
                printError("moderate: stopped by \(name) while waiting for the queue lock (--wait); nothing was read or queued, a rerun goes on")
                report.write(.interrupted, message: "stopped by \(name) while waiting for the queue lock", signal: signal)
            } else {
                printError("moderate: stopped by \(name) while waiting for input; every batch committed before it is queued, a rerun goes on")
                report.write(.interrupted, message: "stopped by \(name) while waiting for input", signal: signal)
            }
        }

        // Rules first: a rule error must stop the run before any queue file is touched.
        let ruleSet: RuleSet
        do { ruleSet = try loadRulesOrExit(ruleOptions.rules, ruleOptions.access.loadOptions) } catch {
            report.write(.ruleErrors)
            throw error
        }
        logger.debug("loaded rules", metadata: ["rules": "\(ruleOptions.rules)", "fingerprint": "\(ruleSet.fingerprint)"])
        let readers: [CommentReader]
        do { readers = try input.openReaders() } catch {
            report.write(.noInput)
            throw error
        }
        let copies: BodyCopyCounts?
        let countStarted = Date()
        do { copies = try input.countCopies(in: readers, for: [ruleSet], jobs: jobs,
                                                       stopRequested: { stopSignals.stopRequest.isRequested }) } catch {
            report.write(.ioError, message: "cannot count copies")
            throw error
        }
        let countSeconds = Date().timeIntervalSince(countStarted)
        if let copies {
            logger.debug("counted copies ahead", metadata: [
                "seconds": "\(countSeconds)", "distinct_bodies": "\(copies.distinctBodies)",
                "repeated_bodies": "\(copies.repeatedBodies)", "comments_left_out": "\(copies.commentsLeftOut)",
                "inputs_counted": "\(copies.inputsCounted)", "inputs_not_counted": "\(copies.inputsNotCounted)",
            ])
        }

        var summary: RunSummary
        do {
            waitingForLock.set(wait)
            let store = try QueueStore(directory: queues, waitForLock: wait, logger: logger)
            waitingForLock.set(false)
            let runner = BatchRunner(ruleSet: ruleSet, store: store, jobs: jobs, wholeInputCopies: copies)
            runner.stopRequest = stopSignals.stopRequest
            let progressLine = quiet ? nil : ProgressLine(readers: readers)
            if let progressLine { runner.progress = progressLine.update }
            defer { progressLine?.finish() }
            summary = try runner.run(readers)
            if copies != nil { summary.copyCountSeconds = countSeconds }
        } catch let locked as QueueLockedError {
            // The holder is whatever is in the lock file, which anyone who could write it chose:
            // a process id, normally; printError shows it terminal-safe, and it is cut short here.
            let holder = locked.holder.map { " (process \($0.terminalSafe(maxCharacters: 40)))" } ?? ""
            printError("moderate: \(locked.directory) is in use by another moderate run\(holder); try again later, or use --wait")
            report.write(.locked, message: locked.description)
            throw Outcome.locked.exitCode
        } catch {
            printError("moderate: \(error)")
            report.write(.ioError, message: "\(error)")
            throw Outcome.ioError.exitCode
        }
        if summary.interrupted, let signal = stopSignals.signal {
            // Said even with --quiet: the run did not finish.
            printError("moderate: stopped by \(StopSignals.name(of: signal)): \(summary.line); the rest of the input is left for the next run")
            report.write(.interrupted, summary: summary, fingerprint: ruleSet.fingerprint, signal: signal)
            StopSignals.endBy(signal)
        }
        let outcome: Outcome = summary.errors > 0 ? .badInput : .ok
        report.write(outcome, summary: summary,
                     fingerprint: ruleSet.fingerprint)
        if !quiet { printError("moderate: \(summary.line)") }
        if outcome != .ok { throw outcome.exitCode }
    }
}

/// A flag the signal handler's thread reads while the run's thread sets it.
private final class WaitFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set(_ newValue: Bool) { value.store(newValue, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// glibc gives each new thread that allocates a memory arena of its own, up to 8 per core, and
/// which threads the workers run on varies: so a run's peak memory drifted by several MB
/// from run to run and grew with the length of the run. One arena per job (at least two)
/// keeps it flat, and measured no slower (faster at a million comments: memory freed by one
/// thread is reused by the others).
private func limitMallocArenas(jobs: Int) {
#if canImport(CMalloc) && canImport(Glibc)
    mallopt(M_ARENA_MAX, Int32(max(2, jobs)))
#endif
}
