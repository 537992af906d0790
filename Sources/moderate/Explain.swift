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
        let ruleSet = try loadRulesOrExit(ruleOptions.rules)
        let decider = BatchDecider(ruleSet: ruleSet)
        let printer = ExplanationPrinter(ruleSet: ruleSet, style: Style(enabled: color.enabled))
        for (index, body) in text.enumerated() {
            let comment = Comment(id: "text-\(index + 1)", fields: [.body: body])
            printer.show(comment, decider.decide(comment), origin: "--text")
        }
        guard !inputArguments.isEmpty else { return }
        var errors = 0
        for reader in try parsedInputOptions(inputArguments).openReaders() {
            while let item = try reader.next() {
                switch item {
                case .comment(let input):
                    printer.show(input.comment, decider.decide(input.comment), origin: "\(input.source):\(input.line)")
                case .error(let error):
                    errors += 1
                    printError("\(error.source):\(error.line): not a comment: \(error.reason)")
                }
            }
        }
        if errors > 0 { throw Exit.badInput }
    }
}

/// Parses arguments collected by a command that cannot declare `InputOptions` directly.
func parsedInputOptions(_ arguments: [String]) throws -> InputOptions {
    do {
        return try InputOptions.parse(arguments)
    } catch {
        printError("moderate: " + InputOptions.message(for: error))
        throw ExitCode.validationFailure
    }
}

/// Writes one comment's explanation to standard output.
struct ExplanationPrinter {
    let ruleSet: RuleSet
    let style: Style

    func show(_ comment: Comment, _ moderation: Moderation, origin: String) {
        print(style.bold("comment \(comment.id)") + style.dim(" (\(origin))"))
        let rulesByID = Dictionary(ruleSet.rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for report in StageReport.reports(for: moderation, in: ruleSet) {
            switch report.outcome {
            case .notRun(let decidedIn):
                print(style.dim("  stage \(report.stage): not run, stage \(decidedIn) already decided \(moderation.decision.rawValue)"))
                continue
            case .passed, .decided:
                let count = ruleSet.stages.first { $0.name == report.stage }?.rules.count ?? 0
                let summary = report.fired.isEmpty ? "no rule fired (\(count) checked)"
                    : "\(report.fired.count) of \(count) rules fired, score now \(plainNumber(report.scoreAfter))"
                print("  stage \(report.stage): \(summary)")
            }
            for fired in report.fired {
                var line = "    \(fired.rule)"
                if let action = fired.action { line += " action \(style.decision(action.rawValue))" }
                if fired.score != 0 { line += " score \(fired.score > 0 ? "+" : "")\(plainNumber(fired.score))" }
                if fired.matchCount > 1 { line += " (\(fired.matchCount) matches)" }
                print(line)
                if let description = rulesByID[fired.rule]?.description { print(style.dim("      \(description)")) }
                for hit in fired.hits { print("      " + describe(hit, in: comment)) }
            }
        }
        for problem in moderation.problems {
            print("  problem: rule \(problem.rule) on \(problem.field): \(problem.reason)")
        }
        let by = moderation.rule.map { " by \($0)" } ?? ""
        print("  decision: \(style.decision(moderation.decision.rawValue))\(by), score \(plainNumber(moderation.score)): "
                    + QueueRecord.reasonText(moderation))
        print("")
    }
}

extension ExplanationPrinter {
    /// One hit: the match in the context of the original text (found through a normalised
    /// view too); for links, domains and signals, what matched.
    func describe(_ hit: RuleHit, in comment: Comment) -> String {
        guard let field = hit.field.sourceField, let original = comment[field] else {
            let match = style.enabled ? style.highlight(hit.text) : "[\(hit.text)]"
            return "\(hit.field): \(match)"
        }
        let snippet = HitSnippet.around(original, start: hit.start, end: hit.end)
        let match = style.enabled ? style.highlight(snippet.match) : "[\(snippet.match)]"
        let before: String = (snippet.cutBefore ? "…" : "") + snippet.before
        let after: String = snippet.after + (snippet.cutAfter ? "…" : "")
        let seenAs = hit.normalizedText.map { " (read as \"\($0)\")" } ?? ""
        return "\(hit.field) \(hit.start)..<\(hit.end): \(before)\(match)\(after)\(seenAs)"
    }
}
