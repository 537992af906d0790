import Foundation
@testable import ModerateCore
import Testing

@Suite struct CommentReadersTests {
    @Test func theFormatComesFromTheNameOrTheFirstBytes() throws {
        func detect(_ path: String) throws -> InputFormat {
            try CommentReaders.detectFormat(try InputFile(InputSource(path: path)))
        }
        #expect(try detect(fixture("wordpress-export.xml")) == .wxr)
        #expect(try detect(fixture("disqus-export.xml")) == .disqus)
        #expect(try detect(fixture("disqus-export.xml.gz")) == .disqus)
        #expect(try detect(fixture("comments.csv")) == .csv)
        #expect(try detect(fixture("film-blog.jsonl")) == .jsonl)
        // Without a telling name, the content decides.
        let wxr = try Array(Data(contentsOf: fixturesDirectory.appendingPathComponent("wordpress-export.xml")))
        #expect(try detect(try scratchFile("export", wxr)) == .wxr)
        #expect(try detect(try scratchFile("export", Array("\u{FEFF}{\"body\":\"x\"}\n".utf8))) == .jsonl)
        #expect(try detect(try scratchFile("export", Array("id,body\n1,x\n".utf8))) == .csv)
        #expect(throws: InputReadError.self) { try detect(try scratchFile("export", Array("<html><body/></html>".utf8))) }
        #expect(throws: InputReadError.self) { try detect(try scratchFile("export", Array("[{\"body\": \"x\"}]".utf8))) }
    }

    @Test func peekedBytesAreReadAgainByTheReader() throws {
        let wxr = try Array(Data(contentsOf: fixturesDirectory.appendingPathComponent("wordpress-export.xml")))
        let result = try readAll(try scratchFile("export", wxr))
        #expect(result.comments.count == 6)
        #expect(result.errors.isEmpty)
    }

    /// A pipe that sends one comment and then pauses (an exporter still working, `tail -f`)
    /// gets that comment moderated now: telling the format reads only as far as it must.
    @Test func aPipeThatPausesAfterOneCommentIsReadWithoutWaitingForMore() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let writer = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        writer.write(Data("{\"id\":\"1\",\"body\":\"hello\"}\n".utf8))
        let got = DispatchSemaphore(value: 0)
        let path = "/dev/fd/\(ends[0])"
        nonisolated(unsafe) var first: InputItem?
        nonisolated(unsafe) var failure: Error?
        DispatchQueue.global().async {
            do { first = try CommentReaders.open(InputSource(path: path)).next() } catch { failure = error }
            got.signal()
        }
        let inTime = got.wait(timeout: .now() + 20) == .success
        try writer.close()  // lets a reader still waiting for more bytes finish
        if !inTime { got.wait() }
        close(ends[0])
        #expect(inTime, "the reader waited for more bytes than the first comment")
        #expect(failure == nil)
        if case .comment(let comment)? = first { #expect(comment.comment.id == "1") } else { Issue.record("no comment: \(String(describing: first))") }
    }
}
