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
        let ruleSet = try loadRulesOrExit(ruleOptions.rules)
        let spec = LabelSpec(argument: label)!
        let decider = BatchDecider(ruleSet: ruleSet)
        var evaluation = Evaluation(ruleSet: ruleSet)
        var errors = 0
        for reader in try input.openReaders() {
            while let item = try reader.next() {
                switch item {
                case .comment(let comment):
                    evaluation.add(decider.decide(comment.comment), isSpam: spec.isSpam(comment))
                case .error(let error):
                    errors += 1
                    printError("\(error.source):\(error.line): not a comment: \(error.reason)")
                }
            }
        }
        if json {
            print(EvaluationReport.json(evaluation, spec: spec, errors: errors))
        } else {
            print(EvaluationReport.text(evaluation, spec: spec, errors: errors))
        }
        if evaluation.labelled == 0 {
            printError("moderate: no comment has a '\(spec.field)' field; nothing to compare with")
        }
        if errors > 0 { throw Exit.badInput }
    }
}

/// The evaluation as text tables or as JSON.
enum EvaluationReport {
    static func text(_ evaluation: Evaluation, spec: LabelSpec, errors: Int) -> String {
        var lines: [String] = []
        let header = ["decision", "spam", "ham"]
        var rows = Action.allCases.map { decision in
            [decision.rawValue, String(evaluation.count(decision, spam: true)), String(evaluation.count(decision, spam: false))]
        }
        rows.append(["total", String(evaluation.total(spam: true)), String(evaluation.total(spam: false))])
        lines += table(header, rows, rightAligned: [1, 2])
        lines.append("")
        let spam = evaluation.total(spam: true), ham = evaluation.total(spam: false)
        lines.append("spam approved: \(evaluation.count(.approve, spam: true)) of \(spam) (\(percent(evaluation.count(.approve, spam: true), spam)))"
                     + "; ham rejected: \(evaluation.count(.reject, spam: false)) of \(ham) (\(percent(evaluation.count(.reject, spam: false), ham)))"
                     + "; ham held: \(evaluation.count(.hold, spam: false)) (\(percent(evaluation.count(.hold, spam: false), ham)))")
        var notes = "\(evaluation.labelled) labelled comments (label field '\(spec.field)', spam = \(spec.spamValues.sorted().joined(separator: "|")))"
        if evaluation.unlabelled > 0 { notes += ", \(evaluation.unlabelled) without a label" }
        if errors > 0 { notes += ", \(errors) input errors" }
        lines.append(notes)
        lines.append("")
        let ruleRows = evaluation.rules.map { rule in
            [rule.rule, rule.stage, String(rule.spamHits), String(rule.hamHits), rule.precision.map { String(format: "%.2f", $0) } ?? "-"]
        }
        lines += table(["rule", "stage", "spam hits", "ham hits", "precision"], ruleRows, rightAligned: [2, 3, 4])
        let never = evaluation.neverFired
        lines.append("")
        lines.append(never.isEmpty ? "every rule fired at least once"
                     : "never fired (\(never.count)): " + never.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    static func json(_ evaluation: Evaluation, spec: LabelSpec, errors: Int) -> String {
        var decisions: [String: Any] = [:]
        for decision in Action.allCases {
            decisions[decision.rawValue] = ["spam": evaluation.count(decision, spam: true), "ham": evaluation.count(decision, spam: false)]
        }
        let rules: [[String: Any]] = evaluation.rules.map { rule in
            ["rule": rule.rule, "stage": rule.stage, "spam_hits": rule.spamHits, "ham_hits": rule.hamHits,
             "precision": rule.precision.map { $0 as Any } ?? NSNull()]
        }
        let object: [String: Any] = [
            "label": ["field": spec.field, "spam_values": spec.spamValues.sorted()],
            "labelled": evaluation.labelled, "unlabelled": evaluation.unlabelled, "input_errors": errors,
            "spam": evaluation.total(spam: true), "ham": evaluation.total(spam: false),
            "decisions": decisions, "rules": rules, "never_fired": evaluation.neverFired,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : String(format: "%.1f%%", 100 * Double(part) / Double(whole))
    }
}

/// A plain text table: columns padded to their widest cell, numbers right-aligned.
func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func render(_ row: [String]) -> String {
        row.enumerated().map { column, cell in
            let padding = String(repeating: " ", count: widths[column] - cell.count)
            return rightAligned.contains(column) ? padding + cell : cell + padding
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return [render(header), rule] + rows.map(render)
}
