import ArgumentParser
import Foundation
import ModerateCore

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the rules' decisions with a label in the input: decision by label, and each rule's precision.",
        discussion: """
            --label FIELD reads spam from the values 1, true, yes and spam (any case); every other \
            value is ham, and comments without the field are counted as unlabelled. \
            --label FIELD=VALUE makes VALUE the only spam value. Nothing is written to any queue.
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("The label field, and optionally its spam value.", valueName: "field[=spam]"))
    var label: String

    @Flag(name: .long, help: "Print the report as one JSON object.")
    var json = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        if LabelSpec(argument: label) == nil { throw ValidationError("--label needs a field name, as in --label label or --label label=spam.") }
    }

    func run() throws {
        let ruleSet = try loadRulesOrExit(ruleOptions.rules, ruleOptions.access.loadOptions)
        let spec = LabelSpec(argument: label)!
        var evaluation = Evaluation(ruleSet: ruleSet)
        let readers = try input.openReaders()
        let copies = try input.countCopies(in: readers, for: [ruleSet])
        let errors = try DecisionLoop(ruleSets: [ruleSet], wholeInputCopies: copies).run(readers, comment: { comment, decisions in
            evaluation.add(decisions[0], isSpam: spec.isSpam(comment))
        }, notAComment: reportNotAComment)
        if json {
            print(EvaluationReport.json(evaluation, spec: spec, errors: errors))
        } else {
            print(EvaluationReport.text(evaluation, spec: spec, errors: errors))
        }
        if evaluation.labelled == 0 {
            printError("moderate: no comment has a '\(spec.field)' field; nothing to compare with")
        }
        if errors > 0 { throw Outcome.badInput.exitCode }
    }
}
