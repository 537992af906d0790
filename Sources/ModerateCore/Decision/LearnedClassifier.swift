import Foundation

/// What the learned stage made of one comment: the spam probability and the tokens that
/// carried it, strongest first (README, "The learned stage").
public struct LearnedVerdict: Sendable, Equatable {
    public struct Clue: Sendable, Equatable {
        public var token: String
        /// The token's own spam probability (Robinson's f(w)).
        public var probability: Double
    }

    /// 0 (ham) to 1 (spam); 0.5 when nothing is known.
    public var probability: Double
    /// Every clue used, strongest first.
    public var clues: [Clue]

    /// The clues listed in explanations and queue records.
    public static let maximumListed = 10
}

/// Robinson's per-token probabilities combined with Fisher's chi-square method, as SpamBayes
/// and Bogofilter do: each token seen in training gets f(w), the spam share of the comments it
/// appeared in, pulled towards 0.5 when it was seen rarely; the `maximumClues` strongest
/// (furthest from 0.5, and at least `minimumStrength` from it) are combined into one
/// probability, which is near 0.5 when the evidence is weak or mixed. That middle is what
/// the stage holds instead of guessing.
public enum LearnedClassifier {
    /// Robinson's s and x: how strongly an unseen token's belief (0.5) weighs.
    static let strength = 0.45
    static let assumed = 0.5
    public static let defaultMaximumClues = 150
    public static let defaultMinimumStrength = 0.1

    public static func classify(_ tokens: Set<String>, with model: TokenModel,
                                minimumStrength: Double = defaultMinimumStrength,
                                maximumClues: Int = defaultMaximumClues) -> LearnedVerdict {
        let spamTotal = Double(max(model.spamComments, 1))
        let hamTotal = Double(max(model.hamComments, 1))
        var clues: [LearnedVerdict.Clue] = []
        for token in tokens {
            guard let counts = model[token] else { continue }
            let spamRatio = min(1, Double(counts.spam) / spamTotal)
            let hamRatio = min(1, Double(counts.ham) / hamTotal)
            let raw = spamRatio / (spamRatio + hamRatio)
            let seen = Double(counts.spam) + Double(counts.ham)
            let probability = (strength * assumed + seen * raw) / (strength + seen)
            if abs(probability - 0.5) >= minimumStrength {
                clues.append(.init(token: token, probability: probability))
            }
        }
        // Strongest first; ties by token so that the choice does not depend on set order.
        clues.sort { abs($0.probability - 0.5) != abs($1.probability - 0.5)
            ? abs($0.probability - 0.5) > abs($1.probability - 0.5) : $0.token < $1.token }
        if clues.count > maximumClues { clues.removeLast(clues.count - maximumClues) }
        guard !clues.isEmpty else { return LearnedVerdict(probability: 0.5, clues: []) }

        var hamLogs = 0.0, spamLogs = 0.0
        for clue in clues {
            // Clamped: a token seen only in spam must not make log(0) of the other side.
            let p = min(max(clue.probability, 1e-9), 1 - 1e-9)
            spamLogs += log(1 - p)
            hamLogs += log(p)
        }
        let count = clues.count
        let spamEvidence = 1 - chiSquareSurvival(-2 * spamLogs, degrees: 2 * count)
        let hamEvidence = 1 - chiSquareSurvival(-2 * hamLogs, degrees: 2 * count)
        let probability = (spamEvidence - hamEvidence + 1) / 2
        return LearnedVerdict(probability: probability, clues: clues)
    }

    /// P(X² ≥ value) for `degrees` (even) degrees of freedom, the series SpamBayes uses.
    static func chiSquareSurvival(_ value: Double, degrees: Int) -> Double {
        let m = value / 2
        var term = exp(-m)
        var sum = term
        if degrees >= 4 {
            for i in 1..<(degrees / 2) {
                term *= m / Double(i)
                sum += term
            }
        }
        return min(sum, 1)
    }
}
