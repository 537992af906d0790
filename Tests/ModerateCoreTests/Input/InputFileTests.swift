import Foundation
@testable import ModerateCore
import Testing

/// `InputFile`: every byte of a gzip input is either read or reported (README, "Security").
@Suite struct InputFileTests {
    func read(_ bytes: [UInt8]) throws -> ReadResult {
        try readAll(try scratchFile("export.jsonl.gz", bytes))
    }

    @Test func concatenatedGzipMembersAreAllRead() throws {
        // `cat a.gz b.gz > c.gz`, as gzip(1) reads it: both members, in order.
        let result = try read(try gzip(#"{"id":"1","body":"one"}"# + "\n") + gzip(#"{"id":"2","body":"two"}"# + "\n")
                              + gzip(#"{"id":"3","body":"three"}"# + "\n"))
        #expect(result.ids == ["1", "2", "3"])
        #expect(result.errors.isEmpty, "\(result.errors)")
    }

    @Test func bytesAfterTheLastMemberThatAreNotGzipAreReported() throws {
        let first = try gzip(#"{"id":"1","body":"one"}"# + "\n")
        let garbage = Array(#"{"id":"2","body":"appended uncompressed"}"#.utf8) + [0x0A]
        let result = try read(first + garbage)
        #expect(result.ids == ["1"])
        #expect(result.errors.count == 1)
        let error = try #require(result.errors.first)
        #expect(error.line == 0)
        #expect(error.reason.contains("not gzip"), "\(error.reason)")
        #expect(error.reason.contains("compressed byte \(first.count)"), "\(error.reason)")
        // What was not read is in the error, so nothing is lost without a trace.
        #expect(error.raw == garbage)
    }

    @Test func garbageAfterSeveralMembersIsReportedToo() throws {
        let members = try gzip(#"{"id":"1","body":"one"}"# + "\n") + gzip(#"{"id":"2","body":"two"}"# + "\n")
        let result = try read(members + [0x1F, 0x00, 0x41])
        #expect(result.ids == ["1", "2"])
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.raw == [0x1F, 0x00, 0x41])
    }

    @Test func zeroPaddingAfterTheLastMemberIsIgnoredAsGzipDoes() throws {
        // Tape and some transfer tools pad to a block size with zeros; gzip -d accepts them.
        let result = try read(try gzip(#"{"id":"1","body":"one"}"# + "\n") + [UInt8](repeating: 0, count: 1000))
        #expect(result.ids == ["1"])
        #expect(result.errors.isEmpty, "\(result.errors)")
    }

    @Test func aTruncatedMemberIsStillReportedAfterWhatWasRead() throws {
        var bytes = try gzip((1...200).map { #"{"id":"\#($0)","body":"comment number \#($0)"}"# }.joined(separator: "\n") + "\n")
        bytes.removeLast(20)
        let result = try read(bytes)
        #expect(result.comments.count > 100)
        // The line the cut went through is an error of its own (a gzip file is complete
        // when it ends, so its torn last line is not waited for); the cut comes last.
        #expect(result.errors.count <= 2)
        #expect(result.errors.last?.line == 0)
        #expect(result.errors.last?.reason.contains("gzip stream ends early") == true)
    }

    @Test func aPlainFileIsReadAsItIs() throws {
        let result = try readAll(try scratchFile("plain.jsonl", Array((#"{"id":"1","body":"one"}"# + "\n").utf8)))
        #expect(result.ids == ["1"])
    }

    /// A character device never ends (/dev/zero, /dev/urandom) or is not an export at all:
    /// refused at open, before any queue is touched.
    @Test func aCharacterDeviceIsRefused() throws {
        #expect {
            _ = try InputFile(InputSource(path: "/dev/zero"))
        } throws: { error in
            (error as? InputReadError)?.reason == .notAFileOrPipe(kind: "a character device")
        }
        // /dev/null is an empty input, as `cmd < /dev/null` is.
        #expect(try readAll("/dev/null", format: .jsonl).comments.isEmpty)
    }
}
