import Foundation
import Testing
@testable import ModerateCore

/// Inputs the fuzz targets (Fuzz/, scripts/fuzz) found crashing or leaking, kept so that they
/// stay fixed. Each is read to its end the way its target reads it.
struct FuzzRegressionTests {
    static let directory = repositoryRoot.appendingPathComponent("fixtures/fuzz-crashes").path

    func drain(_ name: String, _ format: InputFormat) throws -> (comments: Int, errors: Int) {
        let reader = try CommentReaders.open(InputSource(path: Self.directory + "/" + name), format: format,
                                             options: ReadOptions(maxRecordBytes: 4096))
        var counts = (comments: 0, errors: 0)
        while let item = try reader.next() {
            switch item {
            case .comment: counts.comments += 1
            case .error: counts.errors += 1
            }
        }
        return counts
    }

    /// FuzzDisqus: a byte that is not UTF-8 in the root element's namespace URI. The start tag is
    /// copied around every record, and Foundation's XMLParser trapped on it (SIGILL).
    @Test func invalidUTF8InTheRootStartTagIsRepairedNotACrash() throws {
        let counts = try drain("disqus-namespace-uri-invalid-utf8.xml", .disqus)
        #expect(counts.comments + counts.errors >= 3)
    }

    /// FuzzWXR: the same crash through a WordPress export whose start tag and channel hold NULs
    /// and stray bytes.
    @Test func strayBytesAroundWordPressRecordsAreNotACrash() throws {
        let counts = try drain("wxr-start-tag-bytes.xml", .wxr)
        #expect(counts.comments + counts.errors >= 1)
    }

    /// FuzzRules: an empty rule file (it only showed a leak inside Foundation's file reading,
    /// suppressed in Fuzz/lsan-suppressions.txt); it must load as a file with no rules.
    @Test func anEmptyRuleFileIsReportedNotACrash() throws {
        let directory = try makeRulesDirectory(["pipeline.yaml": standardPipeline, "empty.yaml": ""])
        _ = RuleLoader.load(directory: directory)
    }
}
