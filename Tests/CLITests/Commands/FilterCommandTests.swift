import Foundation
import Testing

/// `moderate filter` writes one line per input record to stdout, in input order, with the
/// decision `run` would make, and touches no file.
@Suite struct FilterCommandTests {
    static let localSignals = #","batch_signals":"counted within this input""#

    func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    func decision(_ line: String) throws -> String {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require((object["moderation"] as? [String: Any])?["decision"] as? String)
    }

    /// Split by decision, the filter's lines are the queue lines `run` writes, byte for byte,
    /// but for the note on how batch signals were counted.
    @Test(arguments: [["fixtures/film-blog.jsonl"], ["fixtures/obfuscated-spam.jsonl"], ["fixtures/wordpress-export.xml"],
                      ["--map", "body=CONTENT,author=AUTHOR,id=COMMENT_ID,date=DATE", "fixtures/comments.csv"]])
    func itsLinesAreTheQueueLinesOfRun(input: [String]) throws {
        let scratch = try scratchDirectory()
        let filtered = try Moderate.run(["filter", "--rules", "rules"] + input)
        #expect(filtered.status == 0, "\(filtered.stderr)")
        let queues = scratch.appendingPathComponent("queues")
        let run = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, "--quiet"] + input)
        #expect(run.status == 0, "\(run.stderr)")

        let output = lines(filtered.stdout)
        #expect(!output.isEmpty)
        for queue in ["approve", "hold", "reject"] {
            let queued = String(decoding: FileManager.default.contents(atPath: queues.appendingPathComponent("\(queue).jsonl").path) ?? Data(), as: UTF8.self)
            let fromFilter = try output.filter { try decision($0) == queue }
                .map { $0.replacingOccurrences(of: Self.localSignals, with: "") }
            #expect(fromFilter == lines(queued), "\(queue)")
        }
        #expect(!FileManager.default.fileExists(atPath: Moderate.packageRoot.appendingPathComponent(".moderate").path))
    }

    /// A record that is not a comment is a line of its own, in its place, with its reason,
    /// line number and raw text; the filter still succeeds. With `--errors fail` it exits 1
    /// after writing the lines before it.
    @Test func aRecordThatIsNotACommentIsAnErrorLineInItsPlace() throws {
        let input = [commentLine(id: "1", body: "first"), "{\"id\": \"2\", \"body\": ", commentLine(id: "3", body: "third")]
        let kept = try Moderate.run(["filter", "--rules", "rules"], stdin: Data((input.joined(separator: "\n") + "\n").utf8))
        #expect(kept.status == 0, "\(kept.stderr)")
        let output = lines(kept.stdout)
        #expect(output.count == 3)
        #expect(try output.map(decision) == ["approve", "error", "approve"])
        let error = try #require(try JSONSerialization.jsonObject(with: Data(output[1].utf8)) as? [String: Any])
        #expect(error["raw"] as? String == input[1])
        #expect((error["moderation"] as? [String: Any])?["line"] as? Int == 2)

        let failed = try Moderate.run(["filter", "--rules", "rules", "--errors", "fail", "-"], stdin: Data((input.joined(separator: "\n") + "\n").utf8))
        #expect(failed.status == 1)
        #expect(lines(failed.stdout).count == 1)
        #expect(failed.stderr.contains("<stdin>:2: not a comment"))
    }

    /// Tabs never reach the output raw (Hadoop Streaming splits lines at a tab), and two runs
    /// over the same input write the same bytes.
    @Test func theOutputHasNoRawTabAndIsTheSameEachTime() throws {
        let input = Data("{\"id\":\t\"1\",\t\"author\": \"a\", \"body\": \"see http://example.org/x\"}\n".utf8)
        let first = try Moderate.run(["filter", "--rules", "rules"], stdin: input)
        let second = try Moderate.run(["filter", "--rules", "rules"], stdin: input)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdout.isEmpty && !first.stdout.contains("\t"))
        #expect(first.stdout == second.stdout)
        #expect(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) is [String: Any])
    }

    /// With a run's known-authors file, an author that run approved is known to the filter too,
    /// so `skip_for_known_authors` rules skip them as they would in the next run.
    @Test func knownAuthorsComeFromARunsFile() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        let approved = scratch.appendingPathComponent("approved.jsonl")
        try writeLines([#"{"id":"1","author":"Regular Reader","author_email":"reader@example.org","body":"A thoughtful comment about the film."}"#], to: approved)
        _ = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, "--quiet", approved.path])
        let linked = Data(#"{"id":"2","author":"Regular Reader","author_email":"reader@example.org","body":"https://reader-blog.example/post"}"#.utf8 + [0x0A])

        let stranger = try Moderate.run(["filter", "--rules", "rules"], stdin: linked)
        let known = try Moderate.run(["filter", "--rules", "rules", "--known-authors", queues.appendingPathComponent(".moderate/known-authors").path], stdin: linked)
        #expect(stranger.status == 0 && known.status == 0, "\(known.stderr)")
        #expect(try decision(stranger.stdout.trimmingCharacters(in: .newlines)) != "approve")
        #expect(try decision(known.stdout.trimmingCharacters(in: .newlines)) == "approve", "\(known.stdout)")
    }

    /// Output that cannot be written (a full disk: /dev/full) is a fault, exit 74, not a
    /// silently shorter output; also when the line that fails is an error line.
    @Test(arguments: ["{\"id\":\"1\",\"body\":\"hello\"}\n", "{\"id\": \"2\", \"body\": \n"])
    func outputThatCannotBeWrittenExits74(input: String) throws {
        let process = Process()
        process.executableURL = Moderate.binary
        process.arguments = ["filter", "--rules", "rules"]
        process.currentDirectoryURL = Moderate.packageRoot
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
    }
}
