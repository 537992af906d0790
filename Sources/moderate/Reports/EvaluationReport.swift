import ArgumentParser
import Foundation
import ModerateCore

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
        // Rule ids, stage names and the label field come from rule files and the command line:
        // each line is printed terminal-safe (the tables' own layout is plain text).
        return lines.map(\.terminalSafe).joined(separator: "\n")
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
