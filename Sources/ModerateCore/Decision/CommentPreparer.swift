/// Prepares comments for the rules and gives each its batch signals (copies, bursts, known
/// authors) in input order: the one step that `run`'s parallel path and the one-comment-at-a-time
/// path (`explain`, `eval`, `diff`) share, so that they cannot decide differently.
///
/// Preparing may run on any thread; `observeInOrder` must be called once per comment, in
/// input order, on one thread at a time.
final class CommentPreparer {
    private let linkPolicy: LinkPolicy
    /// Nil when no rule uses batch signals or known authors: then nothing is tracked.
    private let signals: BatchSignalTracker?
    /// Copies are counted on the normalised body (known authors alone need no body).
    private let countsBodies: Bool

    /// `wholeInputCopies`: the bodies of the whole input, counted ahead (nil when they are
    /// counted as they come).
    public init(ruleSet: RuleSet, knownAuthors: Set<RecordKey> = [], wholeInputCopies: BodyCopyCounts? = nil) {
        linkPolicy = ruleSet.linkPolicy
        signals = BatchSignalTracker.needed(by: ruleSet, knownAuthors: knownAuthors, wholeInputCopies: wholeInputCopies)
        countsBodies = ruleSet.usesBatchSignals
    }

    /// True when comments must be observed in input order before they are decided.
    public var observesSignals: Bool { signals != nil }

    /// A comment prepared for the rules. When copies are counted, the normalised body is
    /// worked out here, on the calling thread, rather than in the ordered step.
    public func prepare(_ comment: Comment) -> PreparedComment {
        let prepared = PreparedComment(comment, linkPolicy: linkPolicy)
        if countsBodies { _ = prepared.normalized(.body) }
        return prepared
    }

    /// Gives a prepared comment its batch signals; call in input order. `given`: copies and
    /// bursts counted outside over the whole input (`InputComment.givenBatchSignals`).
    public func observeInOrder(_ prepared: PreparedComment, given: BatchSignals? = nil) {
        if let signals { prepared.signals = signals.observe(prepared, given: given) }
    }
}
