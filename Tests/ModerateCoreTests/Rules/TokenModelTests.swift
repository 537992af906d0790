import Foundation
@testable import ModerateCore
import Testing

@Suite struct TokenModelTests {
    private func model(_ comments: [(String, Set<String>, Bool)]) -> TokenModel {
        let model = TokenModel()
        for (id, tokens, isSpam) in comments { model.learn(id: id, tokens: tokens, isSpam: isSpam) }
        return model
    }

    private let lesson: [(String, Set<String>, Bool)] = [
        ("a", ["casino", "bonus", "flag:link"], true),
        ("b", ["casino", "jackpot"], true),
        ("c", ["lovely", "film", "bonus"], false),
    ]

    @Test func countsAddUpOverSeveralLessons() throws {
        let first = model(Array(lesson.prefix(2)))
        first.learn(id: "c", tokens: lesson[2].1, isSpam: false)
        #expect(first.spamComments == 2 && first.hamComments == 1)
        #expect(first["casino"] == .init(spam: 2, ham: 0))
        #expect(first["bonus"] == .init(spam: 1, ham: 1))
        let reread = try TokenModel.parse(String(decoding: first.serialized(), as: UTF8.self))
        reread.learn(id: "d", tokens: ["bonus"], isSpam: false)
        #expect(reread["bonus"] == .init(spam: 1, ham: 2))
        #expect(reread.hamComments == 2)
    }

    @Test func learningTheSameCommentsAgainChangesNoByte() {
        let once = model(lesson)
        let bytes = once.serialized()
        for (id, tokens, isSpam) in lesson {
            #expect(once.learn(id: id, tokens: tokens, isSpam: isSpam) == .unchanged)
        }
        #expect(once.serialized() == bytes)
        // Nor does the order they were learned in.
        #expect(model(lesson.reversed()).serialized() == bytes)
    }

    @Test func aCorrectedLabelMovesTheCommentToTheOtherSide() {
        let corrected = model(lesson)
        #expect(corrected.learn(id: "c", tokens: lesson[2].1, isSpam: true) == .relabelled)
        #expect(corrected.spamComments == 3 && corrected.hamComments == 0)
        #expect(corrected["lovely"] == .init(spam: 1, ham: 0))
        #expect(corrected["bonus"] == .init(spam: 2, ham: 0))
    }

    @Test func theFileRoundTripsExactly() throws {
        let original = model(lesson + [("e", ["日本語", "naïve"], false)])
        let bytes = original.serialized()
        let reread = try TokenModel.parse(String(decoding: bytes, as: UTF8.self))
        #expect(reread.serialized() == bytes)
        #expect(reread.tokenKinds == .standard)
        #expect(reread["日本語"] == .init(spam: 0, ham: 1))
    }

    @Test(arguments: [
        ("", "not a moderate model file"),
        ("hello\n", "not a moderate model file"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 2\n1\t0\tcasino\n", "but 1 line(s) follow"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 1\n1\tx\tcasino\n", "line 6"),
        ("moderate-model 1\ntokens words,sounds\ncomments 1 1\n", "token kinds"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 1\nnot-hex s\ncounts 0\n", "16 hex digits"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 2\n1\t0\tcasino\n1\t0\tcasino\n", "listed twice"),
        ("moderate-model 1\ntokens words\ncomments 1\n", "expected 'comments'"),
    ])
    func aCorruptFileIsRefusedWithItsLine(text: String, message: String) {
        #expect {
            _ = try TokenModel.parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func aFileFromANewerVersionIsRefused() {
        let text = "moderate-model \(TokenModel.version + 1)\ntokens words\ncomments 0 0\nlearned 0\ncounts 0\n"
        #expect {
            _ = try TokenModel.parse(text)
        } throws: { error in
            "\(error)".contains("newer than this moderate reads")
        }
    }

    @Test func tokenKindsReadAndWriteTheirNames() {
        #expect(TokenKinds("words,chars") == [.words, .chars])
        #expect(TokenKinds("chars,words")?.description == "words,chars")
        #expect(TokenKinds("") == nil)
        #expect(TokenKinds("words,emoji") == nil)
    }
}
