import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ModerateCore

/// `moderate filter`: comments in, one decided JSON line per record out, in input order, and
/// nothing else touched: no queue directory, journal, lock or index. For running `moderate`
/// inside another engine that owns retries and output (Hadoop Streaming, Spark's pipe, GNU
/// `parallel --pipe`): README, "Past one machine".
struct Filter: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide comments from stdin (or files) and write each record, with its moderation, to stdout.",
        discussion: """
            One JSON line per input record, in input order: the record as it would be queued \
            (moderation.decision is approve, hold or reject), or, for a record that is not a \
            comment, a line with moderation.decision error, its reason, source, line and raw \
            text. With no input named, standard input is read. Batch signals (copies, bursts) \
            are counted within this process's input, or given by each record with --batch-signals given (README, "Past one machine"), and each record says which. \
            \(Outcome.helpText([.ok, .badInput, .ruleErrors, .usage, .noInput, .ioError]))
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("What a record that is not a comment does: keep (an error line; exit 0) or fail (exit 1 at the first one, after the lines before it).", valueName: "keep|fail"))
    var errors: ErrorHandling = .keep

    @Option(name: .long, help: ArgumentHelp("Treat the authors in this file as known (a queue directory's .moderate/known-authors, as run keeps it).", valueName: "file"))
    var knownAuthors: String?

    @Option(name: .long, help: ArgumentHelp("Where copies and bursts come from: counted (within this input) or given (each JSON line ends with the moderate_batch field an outside engine computed over the whole input; it is taken off before the record is decided and written).", valueName: "counted|given"))
    var batchSignals: SignalSource = .counted

    @Flag(name: .long, help: "Decide nothing: write, for each record, the keys its batch signals are counted from (for an outside engine; README, \"Past one machine\").")
    var batchKeys = false

    @OptionGroup var input: InputOptions

    enum ErrorHandling: String, ExpressibleByArgument {
        case keep, fail
    }

    enum SignalSource: String, ExpressibleByArgument {
        case counted, given
    }

    func validate() throws {
        if batchKeys && batchSignals == .given { throw ValidationError("--batch-keys and --batch-signals given do not go together: the keys are what the given signals are counted from.") }
        if batchSignals == .given, let format = input.format, format != .jsonl { throw ValidationError("--batch-signals given reads JSON lines only (--format jsonl).") }
    }

    func run() throws {
        let ruleSet = try loadRulesOrExit(ruleOptions.rules, ruleOptions.access.loadOptions)
        var known = KnownAuthors.none
        if let knownAuthors {
            do { known = try QueueStore.readKnownAuthors(path: knownAuthors) } catch {
                printError("moderate: cannot read \(knownAuthors): \(error)")
                throw Outcome.noInput.exitCode
            }
        }
        var readers = try input.openReaders(standardInputWhenNone: true)
        let output = StandardOutput()
        if batchKeys {
            try writeBatchKeys(readers, burstWindow: ruleSet.burstWindowSeconds, to: output)
            return
        }
        let given = batchSignals == .given
        if given { readers = readers.map { GivenBatchSignalsReader($0) } }
        // Named files have their copies counted ahead, as `run` counts them; stdin as they come.
        let copies = given ? nil : try input.countCopies(in: readers, for: [ruleSet], jobs: 1)
        let scope: FilterLine.SignalScope? = ruleSet.usesBatchSignals ? (given ? .givenByInput : .thisInput) : nil
        var failed = false
        // An error line that cannot be written ends the filter like a comment's line would.
        var writeFailure: StandardOutput.WriteError?
        do {
            let loop = DecisionLoop(ruleSets: [ruleSet], knownAuthors: known, wholeInputCopies: copies)
            try loop.run(readers, comment: { comment, decisions in
                try output.write(FilterLine.encode(comment, decisions[0], signals: scope))
            }, notAComment: { error in
                guard !failed else { return }
                if errors == .fail {
                    failed = true
                    printError("moderate: \(error.source):\(error.line): not a comment: \(error.reason)")
                } else {
                    do { try output.write(FilterLine.encode(error)) } catch { writeFailure = error as? StandardOutput.WriteError }
                }
            }, stopWhen: { failed || writeFailure != nil })
        } catch let error as StandardOutput.WriteError {
            writeFailure = error
        }
        if let writeFailure {
            printError("moderate: cannot write to standard output: \(writeFailure.message)")
            throw Outcome.ioError.exitCode
        }
        if failed { throw Outcome.badInput.exitCode }
    }

    /// `--batch-keys`: one line of keys per record, in input order (`BatchKeys`).
    private func writeBatchKeys(_ readers: [CommentReader], burstWindow: Double, to output: StandardOutput) throws {
        do {
            for reader in readers {
                while let item = try reader.nextUndecoded() {
                    try output.write(BatchKeys.encode(item, burstWindowSeconds: burstWindow))
                }
            }
        } catch let error as StandardOutput.WriteError {
            printError("moderate: cannot write to standard output: \(error.message)")
            throw Outcome.ioError.exitCode
        }
    }
}

/// Standard output, written line by line as records are decided (so a consumer sees each
/// record as soon as it is decided), whole writes only.
private final class StandardOutput {
    struct WriteError: Error { var message: String }

    func write(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw WriteError(message: String(cString: strerror(errno)))
            }
            written += result
        }
    }
}
