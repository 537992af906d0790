import ArgumentParser
import Foundation
import ModerateCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run new and old rules over the same comments and list those whose queue changes.",
        discussion: """
            The old rules are a directory (--against) or the same rules directory as committed \
            in git (--against-git HEAD: what your uncommitted edits change). Changes are grouped (hold → approve, approve → hold, …) with a count per group, and for \
            each comment the rule that decides now and before, and the rules that fire only now or \
            only before. Exits 0 whether or not anything changes; 2 if either rule set has errors. \
            Nothing is written to any queue.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The new (edited) rules directory.", valueName: "dir"))
    var rules = "rules"

    @Option(name: .long, help: ArgumentHelp("The old rules directory to compare with.", valueName: "dir"))
    var against: String?

    @Option(name: .long, help: ArgumentHelp(
        "Compare with the rules directory as committed at this git revision (HEAD, main, a commit).",
        valueName: "revision"))
    var againstGit: String?

    /// For both rule sets: the old rules may name the same lists outside as the new ones.
    @OptionGroup var access: RuleFileAccess

    @Flag(name: .long, help: "Print the changes as one JSON object.")
    var json = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        if (against == nil) == (againstGit == nil) {
            throw ValidationError("Give the old rules: --against DIR or --against-git REVISION.")
        }
    }

    func run() throws {
        let newRules = try loadRulesOrExit(rules, access.loadOptions)
        var oldDirectory = against ?? ""
        if let revision = againstGit {
            oldDirectory = try GitRules.export(rules, at: revision)
        }
        defer { if againstGit != nil { try? FileManager.default.removeItem(atPath: oldDirectory) } }
        let oldRules = try loadRulesOrExit(oldDirectory, access.loadOptions)
        var diff = DecisionDiff()
        let readers = try input.openReaders()
        let copies = try input.countCopies(in: readers, for: [oldRules, newRules])
        let errors = try DecisionLoop(ruleSets: [oldRules, newRules], wholeInputCopies: copies).run(readers, comment: { input, decisions in
            diff.add(commentID: input.comment.id, origin: "\(input.source):\(input.line)", old: decisions[0], new: decisions[1])
        }, notAComment: reportNotAComment)
        if json {
            print(Self.json(diff))
            if errors > 0 { throw Outcome.badInput.exitCode }
            return
        }
        for group in diff.groups {
            print("\(group.from.rawValue) → \(group.to.rawValue): \(group.changes.count) comment\(group.changes.count == 1 ? "" : "s")")
            for change in group.changes { print(Self.describe(change)) }
            print("")
        }
        let counts = diff.groups.map { "\($0.changes.count) \($0.from.rawValue) → \($0.to.rawValue)" }
        print("\(diff.changes.count) of \(diff.compared) comments change queue"
              + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")))
        if errors > 0 { throw Outcome.badInput.exitCode }
    }

    static func json(_ diff: DecisionDiff) -> String {
        func decision(_ moderation: Moderation) -> [String: Any] {
            ["decision": moderation.decision.rawValue, "rule": moderation.rule ?? NSNull(),
             "reason": QueueRecord.reasonText(moderation), "score": moderation.score]
        }
        let groups: [[String: Any]] = diff.groups.map { group in
            ["from": group.from.rawValue, "to": group.to.rawValue, "count": group.changes.count,
             "comments": group.changes.map { change -> [String: Any] in
                 ["id": change.commentID, "origin": change.origin, "now": decision(change.new), "before": decision(change.old),
                  "fires_now_only": change.nowFiring, "fired_before_only": change.noLongerFiring,
                  "score_changes": change.scoreChanges.map { ["rule": $0.rule, "before": $0.old, "now": $0.new] }]
             }]
        }
        let object: [String: Any] = ["compared": diff.compared, "changed": diff.changes.count, "groups": groups]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func describe(_ change: DecisionChange) -> String {
        func decided(_ moderation: Moderation) -> String {
            (moderation.rule.map { "by \($0.terminalSafe) " } ?? "") + "(\(QueueRecord.reasonText(moderation).terminalSafe))"
        }
        // Ids, file names, rule ids and reasons are printed terminal-safe, so that an id
        // holding a line break and "now: approve" cannot forge a line of this or another comment.
        let id = change.commentID.terminalSafe(maxCharacters: maxPrintedFieldCharacters)
        var lines = ["  \(id) (\(change.origin.terminalSafe(maxCharacters: maxPrintedFieldCharacters)))",
                     "    now:    \(change.new.decision.rawValue) \(decided(change.new))",
                     "    before: \(change.old.decision.rawValue) \(decided(change.old))"]
        if !change.nowFiring.isEmpty { lines.append("    fires now only: " + change.nowFiring.joined(separator: ", ").terminalSafe) }
        if !change.noLongerFiring.isEmpty { lines.append("    fired before only: " + change.noLongerFiring.joined(separator: ", ").terminalSafe) }
        for score in change.scoreChanges {
            lines.append("    score changed: \(score.rule.terminalSafe) \(plainNumber(score.old)) → \(plainNumber(score.new))")
        }
        return lines.joined(separator: "\n")
    }
}
