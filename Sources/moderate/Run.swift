import ArgumentParser
import ModerateCore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Moderate comments: append each one to approve.jsonl, hold.jsonl or reject.jsonl.",
        discussion: "Input that is not a comment goes to errors.jsonl with its file and line; the batch goes on."
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("The queue directory, created if missing.", valueName: "dir"))
    var queues = "queues"

    @Flag(name: .shortAndLong, help: "Print no summary line, and no progress line on a terminal.")
    var quiet = false

    @OptionGroup var input: InputOptions

    func run() throws {
        // Rules first: a rule error must stop the run before any queue file is touched.
        let ruleSet = try loadRulesOrExit(ruleOptions.rules)
        let readers = try input.openReaders()
        let summary: RunSummary
        do {
            let queueWriter = try QueueWriter(directory: queues)
            let runner = BatchRunner(ruleSet: ruleSet, queues: queueWriter)
            let progressLine = quiet ? nil : ProgressLine(readers: readers)
            if let progressLine { runner.progress = progressLine.update }
            defer { progressLine?.finish() }
            summary = try runner.run(readers)
        } catch {
            printError("moderate: \(error)")
            throw Exit.ioError
        }
        if !quiet { printError("moderate: \(summary.line)") }
        if summary.errors > 0 { throw Exit.badInput }
    }
}

/// Loads the rules, or prints every error as file:line:column and exits with code 2.
func loadRulesOrExit(_ directory: String) throws -> RuleSet {
    let result = RuleLoader.load(directory: directory)
    guard let ruleSet = result.ruleSet else {
        for problem in result.errors { printError(problem.description) }
        printError("moderate: \(result.errors.count) rule error(s); nothing was moderated (run `moderate lint` for warnings too)")
        throw Exit.ruleErrors
    }
    return ruleSet
}
