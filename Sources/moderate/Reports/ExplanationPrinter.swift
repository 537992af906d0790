import ArgumentParser
import ModerateCore

/// Writes one comment's explanation to standard output.
struct ExplanationPrinter {
    let ruleSet: RuleSet
    let style: Style

    func show(_ comment: Comment, _ moderation: Moderation, origin: String) {
        // Every text from the comment, the input or the rules is printed terminal-safe and on
        // its own line's field, so nothing in a comment can write or forge a line here.
        let id = comment.id.terminalSafe(maxCharacters: maxPrintedFieldCharacters)
        print(style.bold("comment \(id)") + style.dim(" (\(origin.terminalSafe(maxCharacters: maxPrintedFieldCharacters)))"))
        let rulesByID = Dictionary(ruleSet.rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for report in StageReport.reports(for: moderation, in: ruleSet) {
            switch report.outcome {
            case .notRun(let decidedIn):
                print(style.dim("  stage \(report.stage.terminalSafe): not run, stage \(decidedIn.terminalSafe) already decided \(moderation.decision.rawValue)"))
                continue
            case .passed, .decided:
                // The learned stage counts as one rule of its stage.
                let stage = ruleSet.stages.first { $0.name == report.stage }
                let count = (stage?.rules.count ?? 0) + (stage?.learned == nil ? 0 : 1)
                let summary = report.fired.isEmpty ? "no rule fired (\(count) checked)"
                    : "\(report.fired.count) of \(count) rules fired, score now \(plainNumber(report.scoreAfter))"
                print("  stage \(report.stage.terminalSafe): \(summary)")
            }
            for fired in report.fired {
                var line = "    \(fired.rule.terminalSafe)"
                if let action = fired.action { line += " action \(style.decision(action.rawValue))" }
                if fired.score != 0 { line += " score \(fired.score > 0 ? "+" : "")\(plainNumber(fired.score))" }
                if fired.matchCount > 1 { line += " (\(fired.matchCount) matches)" }
                print(line)
                if let description = rulesByID[fired.rule]?.description { print(style.dim("      \(description.terminalSafe)")) }
                for hit in fired.hits { print("      " + describe(hit, in: comment)) }
            }
            if let verdict = moderation.learned, ruleSet.stages.first(where: { $0.name == report.stage })?.learned != nil {
                // Tokens are comment text: terminal-safe, and only the strongest few.
                let clues = verdict.clues.prefix(LearnedVerdict.maximumListed).map {
                    "\($0.token.terminalSafe(maxCharacters: 40)) \(plainNumber(($0.probability * 1000).rounded() / 1000))"
                }
                print("    learned: spam probability \(plainNumber((verdict.probability * 1000).rounded() / 1000))"
                      + (clues.isEmpty ? ", no token known to the model" : " from " + clues.joined(separator: ", ")))
            }
        }
        for problem in moderation.problems {
            print("  problem: rule \(problem.rule.terminalSafe) on \(problem.field): \(problem.reason.terminalSafe)")
        }
        let by = moderation.rule.map { " by \($0.terminalSafe)" } ?? ""
        print("  decision: \(style.decision(moderation.decision.rawValue))\(by), score \(plainNumber(moderation.score)): "
                    + QueueRecord.reasonText(moderation).terminalSafe)
        print("")
    }
}

extension ExplanationPrinter {
    /// One hit: the match in the context of the original text (found through a normalised
    /// view too); for links, domains and signals, what matched. Each piece of comment text is
    /// bounded (`HitSnippet`: a little context either side, a long match cut in its middle)
    /// and terminal-safe, so a hit is one line however long or hostile the comment.
    func describe(_ hit: RuleHit, in comment: Comment) -> String {
        guard let field = hit.field.sourceField, let original = comment[field] else {
            let text = hit.text.terminalSafe(maxCharacters: maxPrintedFieldCharacters)
            let match = style.enabled ? style.highlight(text) : "[\(text)]"
            return "\(hit.field): \(match)"
        }
        let snippet = HitSnippet.around(original, start: hit.start, end: hit.end)
        let match = style.enabled ? style.highlight(snippet.match.terminalSafe) : "[\(snippet.match.terminalSafe)]"
        let before: String = (snippet.cutBefore ? "…" : "") + snippet.before.terminalSafe
        let after: String = snippet.after.terminalSafe + (snippet.cutAfter ? "…" : "")
        let seenAs = hit.normalizedText.map { " (read as \"\($0.terminalSafe(maxCharacters: maxPrintedFieldCharacters))\")" } ?? ""
        return "\(hit.field) \(hit.start)..<\(hit.end): \(before)\(match)\(after)\(seenAs)"
    }
}
