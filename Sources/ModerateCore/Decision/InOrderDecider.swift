/// Decides the comments of a batch one at a time, in input order, with the batch's signals:
/// what `run` does, so that `eval`, `diff` and `explain` over an export give the decisions
/// `run` would.
final class InOrderDecider {
    public let decider: Decider
    private let preparer: CommentPreparer

    public init(ruleSet: RuleSet, knownAuthors: Set<RecordKey> = [], wholeInputCopies: BodyCopyCounts? = nil) {
        decider = Decider(ruleSet: ruleSet)
        preparer = CommentPreparer(ruleSet: ruleSet, knownAuthors: knownAuthors, wholeInputCopies: wholeInputCopies)
    }

    /// Decides the next comment of the batch.
    public func decide(_ comment: Comment, given: BatchSignals? = nil) -> Moderation {
        let prepared = preparer.prepare(comment)
        preparer.observeInOrder(prepared, given: given)
        return decider.decide(prepared)
    }
}
