import PCRE2

/// Teaches a `TokenModel` from labelled comments (`moderate learn`): each comment is prepared
/// as the rules see it, cut into tokens of the model's kinds, and counted as spam or ham.
/// Only labels and people's decisions are learned, never moderate's own decisions.
public final class Learner {
    public let model: TokenModel
    private let linkPolicy: LinkPolicy
    private let session: MatchSession

    /// What learning did, for the summary line.
    public struct Tally: Sendable, Equatable {
        public var spam = 0
        public var ham = 0
        /// Already learned with the same label: nothing changed.
        public var unchanged = 0
        /// Learned before with the other label, and moved.
        public var relabelled = 0
        /// No label: not learned.
        public var unlabelled = 0
        public init() {}
    }
    public private(set) var tally = Tally()

    public init(model: TokenModel, linkPolicy: LinkPolicy = LinkPolicy(), limits: MatchLimits = .standard) {
        self.model = model
        self.linkPolicy = linkPolicy
        session = MatchSession(limits: limits)
    }

    /// Learns one comment; `isSpam` nil (no label) counts it as unlabelled.
    public func learn(_ comment: Comment, isSpam: Bool?) {
        guard let isSpam else {
            tally.unlabelled += 1
            return
        }
        let prepared = PreparedComment(comment, linkPolicy: linkPolicy)
        let tokens = CommentTokenizer.tokens(of: prepared, kinds: model.tokenKinds, session: session)
        switch model.learn(id: comment.id, tokens: tokens, isSpam: isSpam) {
        case .unchanged:
            tally.unchanged += 1
        case .relabelled:
            tally.relabelled += 1
            if isSpam { tally.spam += 1 } else { tally.ham += 1 }
        case .learned:
            if isSpam { tally.spam += 1 } else { tally.ham += 1 }
        }
    }
}
