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
