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
    }

    /// How many rules are skipped on texts without their literals.
    public var gatedRuleCount: Int { gates.count { !$0.isEmpty } }

    /// Whether the rule at `ordinal` may match a text in which `present` groups were found.
    @inline(__always)
    func mayMatch(ruleAt ordinal: Int, present: UnsafeBufferPointer<UInt64>) -> Bool {
        for group in gates[ordinal] where present[group >> 6] & (1 << UInt64(group & 63)) == 0 {
            return false
        }
        return true
    }
}
