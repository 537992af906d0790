/// Decides the comments of a batch in input order, with the batch's signals (copies,
/// bursts, known authors): what `run` does, so that `eval`, `diff` and `explain` over an
/// export give the decisions `run` would.
public final class BatchDecider {
    public let decider: Decider
    /// Nil when no rule uses batch signals or known authors: then nothing is tracked.
    private let signals: BatchSignalTracker?

    public init(ruleSet: RuleSet, knownAuthors: Set<RecordKey> = []) {
        decider = Decider(ruleSet: ruleSet)
        signals = BatchSignalTracker.needed(by: ruleSet, knownAuthors: knownAuthors)
    }

    /// Decides the next comment of the batch.
    public func decide(_ comment: Comment) -> Moderation {
        let prepared = PreparedComment(comment, linkPolicy: decider.ruleSet.linkPolicy)
        if let signals { prepared.signals = signals.observe(prepared) }
        return decider.decide(prepared)
    }
}
