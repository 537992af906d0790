/// The learned stage of pipeline.yaml (`learned:`): the model and how its spam probability
/// becomes a score (README, "The learned stage"). SpamBayes's three-way outcome: under
/// `hamCutoff` the stage adds nothing; from it to `spamCutoff` the comment is unsure and gets
/// `unsureScore`; from `spamCutoff` up it gets `spamScore`. With the default thresholds
/// (hold 3, reject 7) the defaults hold the unsure and reject the sure, and any score the
/// rules gave adds to the stage's.
public struct LearnedStage: Sendable {
    public static let defaultStageName = "learned"
    /// The rule ids under which the stage's score appears in `fired`, eval and test cases.
    public static let unsureRuleID = "learned:unsure"
    public static let spamRuleID = "learned:spam"

    public var model: TokenModel
    /// The model file as pipeline.yaml names it (relative to the rules directory).
    public var modelPath: String
    public var hamCutoff: Double
    public var spamCutoff: Double
    public var unsureScore: Double
    public var spamScore: Double
    /// `spam_action`: when set, a probability from `spamCutoff` up is this action instead of
    /// `spamScore` (`hold`: the stage can keep a comment from being approved, but never adds to
    /// a reject).
    public var spamAction: Action?
    /// `spam_at_least`: when set, a probability from `spamCutoff` up adds `spamScore` like any
    /// score, and the comment is never decided below this action (`hold`: the stage keeps spam
    /// the rules missed from being approved, and adds to a reject only together with the rules'
    /// own score). Exclusive with `spamAction`.
    public var spamAtLeast: Action?
    /// SpamBayes's `minimum_prob_strength`: a token whose probability is closer to 0.5 than
    /// this is no clue at all (`min_strength`).
    public var minimumStrength: Double = LearnedClassifier.defaultMinimumStrength
    /// SpamBayes's `max_discriminators`: the most clues combined (`max_clues`).
    public var maximumClues: Int = LearnedClassifier.defaultMaximumClues

    public init(model: TokenModel, modelPath: String, hamCutoff: Double = 0.2, spamCutoff: Double = 0.9,
                unsureScore: Double = 3, spamScore: Double = 7) {
        self.model = model
        self.modelPath = modelPath
        self.hamCutoff = hamCutoff
        self.spamCutoff = spamCutoff
        self.unsureScore = unsureScore
        self.spamScore = spamScore
    }

    /// The score a probability earns, with the rule id it is shown under; nil under `hamCutoff`.
    public func score(for probability: Double) -> (rule: String, score: Double)? {
        if probability >= spamCutoff { return (Self.spamRuleID, spamScore) }
        if probability >= hamCutoff { return (Self.unsureRuleID, unsureScore) }
        return nil
    }
}
