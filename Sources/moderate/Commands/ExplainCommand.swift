import ArgumentParser
import ModerateCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how each comment is decided: stages, rules that fired and where, scores, decision.",
        discussion: """
            Give exports to read (any input option of `moderate run`, such as --format, works too), \
            or one or more --text. The matched text is highlighted on a terminal and put in [brackets] \
            otherwise. Nothing is written to any queue.
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("Explain this text as a comment body (repeatable).", valueName: "text"))
    var text: [String] = []

    @Option(name: .long, help: "Colour: auto (a terminal only), always or never.")
    var color: ColorChoice = .auto

    // InputOptions requires at least one input, but `--text` needs none; so the input
    // arguments are collected here and parsed as InputOptions only when there are some.
    // Every option InputOptions has (now or later) is accepted that way.
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("Exports to read, with any input option of `moderate run`.", valueName: "input"))
    var inputArguments: [String] = []

    func validate() throws {
        if text.isEmpty && inputArguments.isEmpty { throw ValidationError("Give an input to read, or --text.") }
    }

    func run() throws {
        let ruleSet = try loadRulesOrExit(ruleOptions.rules, ruleOptions.access.loadOptions)
        // Inputs are opened, and their copies counted, before any --text is explained.
        let inputs = inputArguments.isEmpty ? nil : try parsedInputOptions(inputArguments)
        let readers = try inputs?.openReaders() ?? []
        let copies = try inputs?.countCopies(in: readers, for: [ruleSet])
        let loop = DecisionLoop(ruleSets: [ruleSet], wholeInputCopies: copies)
        let printer = ExplanationPrinter(ruleSet: ruleSet, style: Style(enabled: color.enabled))
        for (index, body) in text.enumerated() {
            let comment = Comment(id: "text-\(index + 1)", fields: [.body: body])
            printer.show(comment, loop.decide(comment)[0], origin: "--text")
        }
        guard !readers.isEmpty else { return }
        let errors = try loop.run(readers, comment: { input, decisions in
            printer.show(input.comment, decisions[0], origin: "\(input.source):\(input.line)")
        }, notAComment: reportNotAComment)
        if errors > 0 { throw Outcome.badInput.exitCode }
    }
}
