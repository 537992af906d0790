import Foundation
@testable import ModerateCore
import Testing

@Suite struct JSONLinesReaderTests {
    func read(_ bytes: [UInt8], name: String = "export.jsonl", limit: Int = ReadOptions.defaultMaxRecordBytes) throws -> (ReadResult, CommentReader) {
        let reader = try CommentReaders.open(InputSource(path: try scratchFile(name, bytes)), options: ReadOptions(maxRecordBytes: limit))
        var result = ReadResult()
        while let item = try reader.next() {
            switch item {
            case .comment(let input): result.comments.append(input)
            case .error(let error): result.errors.append(error)
            }
        }
        return (result, reader)
    }

    /// A file of NUL bytes (a log zeroed by a crash) is one error with a bounded `raw`, not
    /// the whole line six times over (`\u0000` in errors.jsonl).
    @Test func aLineOfNULBytesIsOneErrorWithABoundedRaw() throws {
        let (result, _) = try read([UInt8](repeating: 0, count: 100_000) + [0x0A])
        #expect(result.comments.isEmpty)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.raw.count ?? .max <= 64 << 10)
        #expect(result.errors.first?.reason.contains("NUL") == true)
        // Over the record limit, it is cut the same way.
        let (over, _) = try read([UInt8](repeating: 0, count: 10_000), limit: 4096)
        #expect(over.errors.count == 1)
        #expect(over.errors.first?.raw.count ?? .max <= 4096)
    }

    /// README, "A growing export": an unterminated last line that is not yet a whole JSON
    /// object is left for the next run, and the reader says how many bytes it left.
    @Test func aTornLastLineIsLeftForTheNextRun() throws {
        let lines = #"{"id":"1","body":"one"}"# + "\n" + #"{"id":"2","body":"two"}"# + "\n"
        let torn = #"{"id":"3","body":"thr"#
        let (result, reader) = try read(Array((lines + torn).utf8))
        #expect(result.ids == ["1", "2"])
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(reader.unterminatedBytesLeft == torn.utf8.count)
    }

    @Test func aWholeObjectWithoutAFinalNewlineIsAComment() throws {
        let (result, reader) = try read(Array((#"{"id":"1","body":"one"}"# + "\n" + #"{"id":"2","body":"two"}"#).utf8))
        #expect(result.ids == ["1", "2"])
        #expect(reader.unterminatedBytesLeft == 0)
    }

    @Test func anUnterminatedLastLineThatCannotBeAWriteInProgressIsAnError() throws {
        // Not the start of an object, NUL bytes, whole JSON that is not a comment: nothing a
        // writer will complete. They are bad input, as before.
        for tail in ["garbage", "{\"id\":\"3\"}", "{\"body\":\u{0}\u{0}"] {
            let (result, reader) = try read(Array((#"{"id":"1","body":"one"}"# + "\n" + tail).utf8))
            #expect(result.ids == ["1"])
            #expect(result.errors.map(\.line) == [2], "\(tail)")
            #expect(reader.unterminatedBytesLeft == 0)
        }
    }
}
