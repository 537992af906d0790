import PCRE2

/// Skips the rules that cannot match a text before PCRE2 is asked: every pattern's required
/// literals (`RequiredLiterals`) go into one `LiteralScanner`, a text is scanned once for all
/// of them, and a rule runs on it only if each of its required groups has a literal there.
/// A skipped rule is one that would not have matched, so decisions do not change.
public final class RulePrefilter: Sendable {
    let scanner: LiteralScanner
    /// Per rule, in `RuleSet.rules` order: the groups that must all be in the text
    /// (empty: the rule always runs).
    let gates: [[Int]]
    /// Per rule: the runs of word characters and digits a text needs (0: none).
    let runs: [CharacterRuns]

    public init(rules: [Rule]) {
        var groupOfLiterals: [[[UInt8]]: Int] = [:]
        var groups: [[[UInt8]]] = []
        gates = rules.map { rule in
            rule.requiredLiterals.allOf.map { literals in
                if let group = groupOfLiterals[literals] { return group }
                groups.append(literals)
                groupOfLiterals[literals] = groups.count - 1
                return groups.count - 1
            }
        }
        scanner = LiteralScanner(groups: groups)
        runs = rules.map { CharacterRuns(word: $0.requiredLiterals.wordRun, digit: $0.requiredLiterals.digitRun) }
    }

    private init(scanner: LiteralScanner, gates: [[Int]], runs: [CharacterRuns]) {
        self.scanner = scanner
        self.gates = gates
        self.runs = runs
    }

    /// The same prefilter with storage of its own, for another thread's `Decider` (over
    /// `RuleSet.copyForAnotherThread()`, whose rules require the same literals): copying the
    /// tables costs less than building the automaton again, and threads do not share them.
    public func copyForAnotherThread() -> RulePrefilter {
        RulePrefilter(scanner: scanner.copyForAnotherThread(), gates: gates.map { $0.map { $0 } }, runs: runs.map { $0 })
    }

    /// How many rules are skipped on texts without their literals.
    public var gatedRuleCount: Int { gates.indices.count { !gates[$0].isEmpty || runs[$0].word > 0 || runs[$0].digit > 0 } }

    /// Whether the rule at `ordinal` may match a text in which `present` groups were found.
    @inline(__always)
    func mayMatch(ruleAt ordinal: Int, present: UnsafeBufferPointer<UInt64>, runs found: CharacterRuns) -> Bool {
        let needed = runs[ordinal]
        if needed.word > found.word || needed.digit > found.digit { return false }
        for group in gates[ordinal] where present[group >> 6] & (1 << UInt64(group & 63)) == 0 {
            return false
        }
        return true
    }
}
