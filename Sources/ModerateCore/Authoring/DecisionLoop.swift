/// The one input loop of `explain`, `eval` and `diff`: every input read in order, each
/// comment decided as `run` would decide it (in input order, with the batch's signals) under
/// each rule set given (`diff` gives two), and each record that is not a comment reported.
/// The commands only say what to do with a decided comment.
public struct DecisionLoop {
    private let deciders: [InOrderDecider]

    /// `knownAuthors`: the authors `skip_for_known_authors` rules treat as known (`run`
    /// keeps them in its queue directory; `filter --known-authors` reads that file).
    /// `wholeInputCopies`: the inputs' bodies counted ahead, as `run` counts them.
    public init(ruleSets: [RuleSet], knownAuthors: KnownAuthors = .none, wholeInputCopies: BodyCopyCounts? = nil) {
        deciders = ruleSets.map { InOrderDecider(ruleSet: $0, knownAuthors: knownAuthors.keys, wholeInputCopies: wholeInputCopies) }
    }

    /// One comment's decision under each rule set, in the order the rule sets were given.
    /// `given`: its copies and bursts, when counted outside over the whole input.
    public func decide(_ comment: Comment, given: BatchSignals? = nil) -> [Moderation] {
        deciders.map { $0.decide(comment, given: given) }
    }

    /// Reads `readers` to their ends, or until `stopWhen` says to stop (checked before each
    /// record); returns how many records were not comments.
    @discardableResult
    public func run(_ readers: [CommentReader],
                    comment onComment: (InputComment, [Moderation]) throws -> Void,
                    notAComment onError: (InputError) -> Void,
                    stopWhen shouldStop: () -> Bool = { false }) throws -> Int {
        var errors = 0
        for reader in readers {
            while !shouldStop(), let item = try reader.next() {
                switch item {
                case .comment(let input):
                    try onComment(input, decide(input.comment, given: input.givenBatchSignals))
                case .error(let error):
                    errors += 1
                    onError(error)
                }
            }
        }
        return errors
    }
}
