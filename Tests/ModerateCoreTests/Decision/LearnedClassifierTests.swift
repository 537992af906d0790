@testable import ModerateCore
import Testing

@Suite struct LearnedClassifierTests {
    private func trained() -> TokenModel {
        let model = TokenModel()
        for n in 0..<20 {
            model.learn(id: "s\(n)", tokens: ["casino", "bonus", "jackpot", "spin\(n % 3)"], isSpam: true)
            model.learn(id: "h\(n)", tokens: ["film", "scene", "director", "bonus"], isSpam: false)
        }
        return model
    }

    @Test func spamTokensGiveAHighProbabilityAndHamTokensALowOne() {
        let model = trained()
        let spam = LearnedClassifier.classify(["casino", "jackpot", "hello"], with: model)
        let ham = LearnedClassifier.classify(["film", "director", "hello"], with: model)
        #expect(spam.probability > 0.95)
        #expect(ham.probability < 0.05)
        #expect(Set(spam.clues.map(\.token)) == ["casino", "jackpot"])
    }

    @Test func unknownOrEvenTokensAreUnsure() {
        let model = trained()
        #expect(LearnedClassifier.classify(["never-seen"], with: model).probability == 0.5)
        // `bonus` is in as many spam as ham comments: no clue at all.
        #expect(LearnedClassifier.classify(["bonus"], with: model).clues.isEmpty)
        let mixed = LearnedClassifier.classify(["casino", "film"], with: model)
        #expect(abs(mixed.probability - 0.5) < 0.1)
    }

    @Test func cluesAreStrongestFirstAndTheOrderIsStable() {
        let model = trained()
        let verdict = LearnedClassifier.classify(["casino", "spin1", "film"], with: model)
        let strengths = verdict.clues.map { abs($0.probability - 0.5) }
        #expect(strengths == strengths.sorted(by: >))
        #expect(LearnedClassifier.classify(["film", "spin1", "casino"], with: model) == verdict)
    }

    @Test func theStageTurnsProbabilityIntoScoreByItsCutoffs() {
        let stage = LearnedStage(model: TokenModel(), modelPath: "m", hamCutoff: 0.2, spamCutoff: 0.9, unsureScore: 3, spamScore: 7)
        #expect(stage.score(for: 0.1) == nil)
        #expect(stage.score(for: 0.2)! == (LearnedStage.unsureRuleID, 3))
        #expect(stage.score(for: 0.95)! == (LearnedStage.spamRuleID, 7))
    }
}
