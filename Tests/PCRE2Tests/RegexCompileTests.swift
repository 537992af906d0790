import PCRE2
import Testing

@Suite struct RegexCompileTests {
    @Test func compileErrorCarriesPCRE2MessageAndOffset() {
        #expect(throws: RegexCompileError.self) { try Regex("ab(c") }
        do {
            _ = try Regex("ab(c")
        } catch {
            #expect(error.code == 114)
            #expect(error.byteOffset == 4)
            #expect(error.scalarOffset == 4)
            #expect(error.message == "missing closing parenthesis")
        }
    }

    @Test func offsetIsAlsoCountedInCharactersForMultiByteText() {
        do {
            _ = try Regex("é[a")
            Issue.record("expected a compile error")
        } catch {
            #expect(error.byteOffset == 4)
            #expect(error.scalarOffset == 3)
        }
    }

    @Test func patternsAreJITCompiled() throws {
        #expect(try Regex("spam").isJITCompiled)
    }
}
