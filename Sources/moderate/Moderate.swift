import ArgumentParser

@main
struct Moderate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderate",
        abstract: "Route comments to approve, hold and reject queues with PCRE2 rules.",
        discussion: Outcome.helpText(),
        version: Version.text,
        subcommands: [Run.self, Filter.self, Lint.self, TestCommand.self, Explain.self, Eval.self, Diff.self, Learn.self, Decide.self, Review.self, Actions.self]
    )
}
