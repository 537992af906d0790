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
        // A JSON array is WP-CLI's output (JSONArrayReader).
        #expect(try detect(try scratchFile("export", Array("[{\"body\": \"x\"}]".utf8))) == .json)
    }

    @Test func peekedBytesAreReadAgainByTheReader() throws {
        let wxr = try Array(Data(contentsOf: fixturesDirectory.appendingPathComponent("wordpress-export.xml")))
        let result = try readAll(try scratchFile("export", wxr))
        #expect(result.comments.count == 6)
        #expect(result.errors.isEmpty)
    }
}
