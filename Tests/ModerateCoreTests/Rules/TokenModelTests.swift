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
        // Lines of the wrong shape for the byte-level reading: a count past UInt32, a count of
        // nothing, no token, a line with no tabs.
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 1\n4294967296\t0\tcasino\n", "line 6"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 1\n0\t0\tcasino\n", "line 6"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 1\n1\t0\t\n", "line 6"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 0\ncounts 2\n1\t0\tcasino\n1 0 bonus\n", "line 7"),
        // A learned line one character short, or with another label.
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 1\n001122334455667 s\ncounts 0\n", "line 5"),
        ("moderate-model 1\ntokens words\ncomments 1 1\nlearned 1\n0011223344556677 x\ncounts 0\n", "line 5"),
        // CR LF line ends are not line ends (as `Character` splitting sees them).
        ("moderate-model 1\r\ntokens words\r\ncomments 0 0\r\nlearned 0\r\ncounts 0\r\n", "not a moderate model file"),
    ])
    func aCorruptFileIsRefusedWithItsLine(text: String, message: String) {
        #expect {
            _ = try TokenModel.parse(text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    /// Lines of an unusual shape, which the byte-level reading hands to the `String` reading:
    /// they are read as that always read them (`UInt32("+1")` is 1, a tab may be in a token,
    /// hex digits may be capitals).
    @Test func unusualLinesReadAsTheyAlwaysDid() throws {
        let text = "moderate-model 1\ntokens words\ncomments 2 1\nlearned 2\n00112233445566AA s\n0011223344556677 h\n"
            + "counts 4\n+1\t0\tcasino\n00000000002\t1\tbonus\n1\t0\tflag\tlink\n4294967295\t0\tbig\n"
        let model = try TokenModel.parse(text)
        #expect(model["casino"] == .init(spam: 1, ham: 0))
        #expect(model["bonus"] == .init(spam: 2, ham: 1))
        #expect(model["flag\tlink"] == .init(spam: 1, ham: 0))
        #expect(model["big"] == .init(spam: UInt32.max, ham: 0))
        #expect(model.learned == ["00112233445566AA": true, "0011223344556677": false])
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
