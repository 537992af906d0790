import ArgumentParser

@main
struct Moderate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderate",
        abstract: "Route comments to approve, hold and reject queues with PCRE2 rules.",
        discussion: """
            Exit codes: 0 success; 1 some input was not a comment (see errors.jsonl), or \
            (test) an example or case failed; \
            2 the rules have errors; 64 usage error; 66 an input cannot be opened; \
            74 a queue file cannot be written; 75 another run holds the queue directory.
            """,
        subcommands: [Run.self, Lint.self, TestCommand.self, Explain.self, Eval.self, Diff.self]
    )
}

/// The exit codes, documented in the README and in `moderate --help`.
enum Exit {
    static let badInput = ExitCode(1)
    /// `moderate test`: an example or a case failed.
    static let testFailures = ExitCode(1)
    static let ruleErrors = ExitCode(2)
    static let noInput = ExitCode(66)
    static let ioError = ExitCode(74)
    static let locked = ExitCode(75)
}

/// Where the rules live; shared by every command that reads rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The rules directory: pipeline.yaml and rule files.", valueName: "dir"))
    var rules = "rules"
}
