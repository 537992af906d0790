import PCRE2

/// The steps of deciding one comment, one at a time, for the microbenchmarks in `Benchmarks/`
/// (README, "Microbenchmarks"). `Decider.decide` does all of them in one call; these entry
/// points let a benchmark time each on its own, through the same code. The engine does not
/// use them.
public enum HotPath {
    /// The texts the rules of `ruleSet` look at, all worked out now (normalised views, links,
    /// domains, link flags), as `Decider` would work them out on demand.
    public static func prepare(_ comment: Comment, for ruleSet: RuleSet, session: MatchSession) -> PreparedComment {
        let prepared = PreparedComment(comment, linkPolicy: ruleSet.linkPolicy)
        for field in viewFields(of: ruleSet) { _ = prepared.text(of: field, session: session) }
        return prepared
    }

    /// Every field some rule of `ruleSet` matches on, once each, in the rules' order.
    public static func viewFields(of ruleSet: RuleSet) -> [RuleField] {
        var seen: Set<RuleField> = []
        return ruleSet.rules.flatMap(\.fields).filter { $0.ordinal != nil && seen.insert($0).inserted }
    }

    /// The text of `field` in a prepared comment (nil when the comment has none).
    public static func text(of field: RuleField, in prepared: PreparedComment, session: MatchSession) -> String? {
        prepared.text(of: field, session: session)
    }

    /// The prefilter's scan: one pass over a text for every rule's required literals at once
    /// (what `PreparedComment` does the first time a gated rule looks at a text).
    public final class PrefilterScan {
        private let prefilter: RulePrefilter
        private let present: UnsafeMutableBufferPointer<UInt64>

        public init(prefilter: RulePrefilter) {
            self.prefilter = prefilter
            present = .allocate(capacity: max(1, prefilter.scanner.wordCount))
            present.initialize(repeating: 0)
        }

        deinit { present.deallocate() }

        /// Scans `text`; returns how many literal groups it has (so the work cannot be dropped).
        public func scan(_ text: String) -> Int {
            present.update(repeating: 0)
            var text = text
            let runs = text.withUTF8 { prefilter.scanner.scan($0, into: present) }
            return present.reduce(0) { $0 + $1.nonzeroBitCount } + (runs.word > 0 ? 1 : 0)
        }
    }

    /// Matching alone: every pattern rule on each of its fields of a prepared comment, with the
    /// prefilter's skips, through `Decider.match` as deciding runs them, but no scores, stages,
    /// hits or learned stage.
    public final class Matcher {
        private let decider: Decider

        public init(ruleSet: RuleSet) {
            decider = Decider(ruleSet: ruleSet)
        }

        /// How many rules match the comment (`count: all` rules count their matches).
        public func match(_ prepared: PreparedComment) -> Int {
            var matched = 0
            for (ordinal, rule) in decider.ruleSet.rules.enumerated() {
                guard let regex = rule.regex else { continue }
                decider.match(rule, regex, at: ordinal, on: prepared) { _, _, ranges, _ in matched += ranges.count }
            }
            return matched
        }
    }
}
