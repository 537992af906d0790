import ArgumentParser
import ModerateCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run new and old rules over the same comments and list those whose queue changes.",
        discussion: """
            Changes are grouped (hold → approve, approve → hold, …) with a count per group, and for \
            each comment the rule that decides now and before, and the rules that fire only now or \
            only before. Exits 0 whether or not anything changes; 2 if either rule set has errors. \
            Nothing is written to any queue.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The new (edited) rules directory.", valueName: "dir"))
    var rules = "rules"

    @Option(name: .long, help: ArgumentHelp("The old rules directory to compare with.", valueName: "dir"))
    var against: String

    @OptionGroup var input: InputOptions

    func run() throws {
        let newRules = try loadRulesOrExit(rules)
        let oldRules = try loadRulesOrExit(against)
        let newDecider = Decider(ruleSet: newRules), oldDecider = Decider(ruleSet: oldRules)
        var diff = DecisionDiff()
        var errors = 0
        for reader in try input.openReaders() {
            while let item = try reader.next() {
                switch item {
                case .comment(let input):
                    diff.add(commentID: input.comment.id, origin: "\(input.source):\(input.line)",
                             old: oldDecider.decide(input.comment), new: newDecider.decide(input.comment))
                case .error(let error):
                    errors += 1
                    printError("\(error.source):\(error.line): not a comment: \(error.reason)")
                }
            }
        }
        for group in diff.groups {
            print("\(group.from.rawValue) → \(group.to.rawValue): \(group.changes.count) comment\(group.changes.count == 1 ? "" : "s")")
            for change in group.changes { print(Self.describe(change)) }
            print("")
        }
        let counts = diff.groups.map { "\($0.changes.count) \($0.from.rawValue) → \($0.to.rawValue)" }
        print("\(diff.changes.count) of \(diff.compared) comments change queue"
              + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")))
        if errors > 0 { throw Exit.badInput }
    }

    static func describe(_ change: DecisionChange) -> String {
        func decided(_ moderation: Moderation) -> String {
            (moderation.rule.map { "by \($0)" } ?? "no rule") + " (\(QueueRecord.reasonText(moderation)))"
        }
        var lines = ["  \(change.commentID) (\(change.origin))",
                     "    now:    \(change.new.decision.rawValue) \(decided(change.new))",
                     "    before: \(change.old.decision.rawValue) \(decided(change.old))"]
        if !change.nowFiring.isEmpty { lines.append("    fires now only: " + change.nowFiring.joined(separator: ", ")) }
        if !change.noLongerFiring.isEmpty { lines.append("    fired before only: " + change.noLongerFiring.joined(separator: ", ")) }
        for score in change.scoreChanges {
            lines.append("    score changed: \(score.rule) \(format(score.old)) → \(format(score.new))")
        }
        return lines.joined(separator: "\n")
    }
}
