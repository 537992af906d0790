import Foundation
import Testing

/// README "Security": hostile exports through the built binary. XML entities (external ones,
/// "billion laughs") are never expanded, and a record over the record limit lands in
/// errors.jsonl, cut to its start, while the batch goes on.
@Suite(.serialized) struct HostileInputTests {
    func run(_ arguments: [String]) throws -> (Moderate.Result, URL) {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let result = try Moderate.run(["run", "--quiet", "--rules", "rules", "--queues", queues.path] + arguments)
        return (result, queues)
    }

    /// Every byte the run wrote: queue files, errors.jsonl, stdout and stderr.
    func everything(_ queues: URL, _ result: Moderate.Result) throws -> String {
        var text = result.stdout + result.stderr
        for name in ["approve.jsonl", "hold.jsonl", "reject.jsonl", "errors.jsonl"] {
            if let data = FileManager.default.contents(atPath: queues.appendingPathComponent(name).path) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }

    func ids(_ queues: URL) throws -> Set<String> {
        Set(try ["approve.jsonl", "hold.jsonl", "reject.jsonl"].flatMap { try records(queues, $0) }.compactMap { $0["id"] as? String })
    }

    /// Lines of /etc/passwd that must never show up in an output ("root:x:0:0:...").
    var passwdSecrets: [String] {
        let text = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").prefix(3).map(String.init) + ["root:x:0:0", ":/usr/sbin/nologin"]
    }

    @Test func externalEntitiesInAWordPressExportAreNeverResolved() throws {
        let (result, queues) = try run(["fixtures/wordpress-xxe.xml"])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let output = try everything(queues, result)
        for secret in passwdSecrets { #expect(!output.contains(secret), "\(secret) leaked") }
        // Every comment is accounted for, the plain one moderated after the attacks.
        #expect(try ids(queues).contains("3"))
        let moderated = try ids(queues).count, errors = try records(queues, "errors.jsonl").count
        #expect(moderated + errors == 6, "\(moderated) moderated, \(errors) errors")
        // A reference to an undeclared (skipped) entity stays text.
        let first = try ["approve.jsonl", "hold.jsonl", "reject.jsonl"].flatMap { try records(queues, $0) }.first { $0["id"] as? String == "1" }
        if let first { #expect((first["body"] as? String)?.contains("&xxe;") == true) }
    }

    @Test func aSecretFileNamedByAnEntityStaysUnread() throws {
        let scratch = try scratchDirectory()
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        let secretFile = scratch.appendingPathComponent("secret.txt")
        try secret.write(to: secretFile, atomically: true, encoding: .utf8)
        let export = scratch.appendingPathComponent("export.xml")
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE rss [<!ENTITY s SYSTEM "\(secretFile.absoluteString)"><!ENTITY % p SYSTEM "\(secretFile.absoluteString)"> %p;]>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_id>1</wp:post_id>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>&s;</wp:comment_author><wp:comment_content>Secret: &s;</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content><!DOCTYPE x [<!ENTITY t SYSTEM "\(secretFile.absoluteString)">]>&t;</wp:comment_content></wp:comment>
            </item></channel></rss>
            """.write(to: export, atomically: true, encoding: .utf8)
        let (result, queues) = try run([export.path])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        #expect(!(try everything(queues, result)).contains(secret))
        #expect(try ids(queues).contains("1"))
    }

    @Test func billionLaughsIsNotExpanded() throws {
        for path in ["fixtures/wordpress-billion-laughs.xml", "fixtures/disqus-xxe.xml"] {
            let (result, queues) = try run([path])
            #expect(result.status == 0 || result.status == 1, "\(path): \(result.stderr)")
            let output = try everything(queues, result)
            // Expanded, &lol9; is 3 GB of "lol"; kept as text it is a few bytes.
            #expect(!output.contains("lollollol"), "\(path)")
            #expect(output.utf8.count < 64 << 10, "\(path): \(output.utf8.count) bytes of output")
            for secret in passwdSecrets { #expect(!output.contains(secret), "\(path): \(secret) leaked") }
            #expect(try ids(queues).count >= 2, "\(path)")
        }
    }

    /// Writes `prefix`, `count` bytes of `fill`, `suffix` without holding the body in memory.
    func writeHuge(_ url: URL, prefix: String, fill: UInt8, count: Int, suffix: String) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(prefix.utf8))
        let block = Data(repeating: fill, count: 1 << 20)
        var left = count
        while left > 0 {
            let part = min(left, block.count)
            try handle.write(contentsOf: block.prefix(part))
            left -= part
        }
        try handle.write(contentsOf: Data(suffix.utf8))
    }

    @Test func aHundredMegabyteJSONLineGoesToErrorsAndTheBatchGoesOn() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("huge.jsonl")
        try writeHuge(export, prefix: commentLine(id: "before", body: "first") + "\n" + #"{"id":"huge","body":""#,
                      fill: UInt8(ascii: "a"), count: 100 << 20,
                      suffix: "\"}\n" + commentLine(id: "after", body: "last") + "\n")
        let (result, queues) = try run([export.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(try ids(queues) == ["before", "after"])
        let errors = try records(queues, "errors.jsonl")
        #expect(errors.count == 1)
        #expect(errors.first?["line"] as? Int == 2)
        #expect((errors.first?["reason"] as? String)?.contains("record limit of 16777216 bytes") == true)
        #expect(((errors.first?["raw"] as? String)?.utf8.count ?? .max) <= 64 << 10)
    }

    @Test func aHundredMegabyteCSVCellGoesToErrorsAndTheBatchGoesOn() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("huge.csv")
        try writeHuge(export, prefix: "id,body\nbefore,first\nhuge,\"", fill: UInt8(ascii: "b"), count: 100 << 20,
                      suffix: "\"\nafter,last\n")
        let (result, queues) = try run([export.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(try ids(queues) == ["before", "after"])
        let errors = try records(queues, "errors.jsonl")
        #expect(errors.count == 1)
        #expect((errors.first?["reason"] as? String)?.contains("--max-record-bytes") == true)
        #expect(((errors.first?["raw"] as? String)?.utf8.count ?? .max) <= 64 << 10)
    }

    @Test func theRecordLimitIsAnOption() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        try writeLines([commentLine(id: "short", body: "fine"),
                        commentLine(id: "long", body: String(repeating: "x", count: 5000)),
                        commentLine(id: "short2", body: "fine too")], to: export)
        let (limited, queues) = try run(["--max-record-bytes", "4K", export.path])
        #expect(limited.status == 1, "\(limited.stderr)")
        #expect(try ids(queues) == ["short", "short2"])
        #expect((try records(queues, "errors.jsonl").first?["reason"] as? String)?.contains("record limit of 4096 bytes") == true)

        let (unlimited, allQueues) = try run(["--max-record-bytes", "1M", export.path])
        #expect(unlimited.status == 0, "\(unlimited.stderr)")
        #expect(try ids(allQueues).count == 3)

        let (bad, _) = try run(["--max-record-bytes", "lots", export.path])
        #expect(bad.status == 64, "\(bad.stderr)")
    }

    /// A WordPress comment nested 50,000 elements deep killed every run with SIGSEGV (and
    /// every rerun, and `explain`), committing nothing. Now it is one error with its line.
    @Test func aCommentNestedFiftyThousandDeepIsAnErrorNotACrash() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("deep.xml")
        let deep = String(repeating: "<b>", count: 50_000) + "x" + String(repeating: "</b>", count: 50_000)
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:post_id>1</wp:post_id>
            <wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>Nice film.</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content>\(deep)</wp:comment_content></wp:comment>
            <wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_content>Thanks!</wp:comment_content></wp:comment>
            </item></channel></rss>
            """.write(to: export, atomically: true, encoding: .utf8)
        let (result, queues) = try run([export.path])
        #expect(result.status == 1, "\(result.stderr.prefix(2000))")
        #expect(try ids(queues) == ["1", "3"])
        let errors = try records(queues, "errors.jsonl")
        #expect(errors.count == 1)
        #expect(errors.first?["line"] as? Int == 4)
        #expect((errors.first?["reason"] as? String)?.contains("nested deeper than 256 levels") == true)
        // A rerun finds only what is already recorded; explain lists the error and goes on.
        let rerun = try Moderate.run(["run", "--quiet", "--rules", "rules", "--queues", queues.path, export.path])
        #expect(rerun.status == 0, "\(rerun.stderr.prefix(2000))")
        let explain = try Moderate.run(["explain", "--rules", "rules", export.path])
        #expect(explain.status == 0 || explain.status == 1, "\(explain.stderr.prefix(2000))")
        #expect(explain.stderr.contains("deep.xml:4: not a comment"), "\(explain.stderr.prefix(2000))")
    }

    /// Runs moderate with `stdin` as its standard input, killing it after `seconds` (status
    /// -1 then): for inputs that used to make a run go on forever.
    func runKilledAfter(_ seconds: Double, _ arguments: [String], stdin: FileHandle? = nil) throws -> Moderate.Result {
        let process = Process()
        process.executableURL = Moderate.binary
        process.arguments = arguments
        process.currentDirectoryURL = Moderate.packageRoot
        let scratch = try scratchDirectory()
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        let killed = process.isRunning
        // SIGKILL rather than terminate(): when this test was run on the code before the fix,
        // the run reading /dev/zero was still going an hour later (cause not looked into).
        if killed { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        return Moderate.Result(status: killed ? -1 : process.terminationStatus,
                               stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                               stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }

    /// `/dev/zero` as an input never ended (a run that never finished). A character device
    /// is refused at once, by name or as standard input, and no queue is touched.
    @Test func devZeroIsRefusedNotReadForever() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        let byName = try runKilledAfter(30, ["run", "--rules", "rules", "--queues", queues.path, "/dev/zero"])
        #expect(byName.status == 66, "\(byName.stderr.prefix(500))")
        #expect(byName.stderr.contains("/dev/zero: a character device"), "\(byName.stderr.prefix(500))")
        #expect(byName.stderr.utf8.count < 1024)
        #expect(!FileManager.default.fileExists(atPath: queues.path))
        let zero = try #require(FileHandle(forReadingAtPath: "/dev/zero"))
        let asStdin = try runKilledAfter(30, ["run", "--rules", "rules", "--queues", queues.path, "-"], stdin: zero)
        #expect(asStdin.status == 66, "\(asStdin.stderr.prefix(500))")
        #expect(asStdin.stderr.utf8.count < 1024)
    }

    /// A file of NUL bytes without a newline: one error with a bounded raw, a few lines on
    /// stderr (its "header" was printed whole: 100 KB of NULs on the terminal).
    @Test func aFileOfNULBytesIsReportedBriefly() throws {
        let scratch = try scratchDirectory()
        let jsonl = scratch.appendingPathComponent("zeroed.jsonl"), unnamed = scratch.appendingPathComponent("zeroed")
        try Data(repeating: 0, count: 100_000).write(to: jsonl)
        try Data(repeating: 0, count: 100_000).write(to: unnamed)
        let (result, queues) = try run([jsonl.path])
        #expect(result.status == 1, "\(result.stderr.prefix(500))")
        let errors = try records(queues, "errors.jsonl")
        #expect(errors.count == 1)
        #expect(((errors.first?["raw"] as? String)?.utf8.count ?? .max) <= 64 << 10)
        // Without a name that says JSON lines, the content is taken for a CSV header.
        let unnamedRun = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, unnamed.path])
        #expect(unnamedRun.status == 66)
        #expect(unnamedRun.stderr.utf8.count < 2048, "\(unnamedRun.stderr.utf8.count) bytes on stderr")
        #expect(unnamedRun.stderr.split(separator: "\n").count <= 3)
    }

    /// Bytes after a gzip export's last member that are not gzip were dropped with exit 0.
    @Test func dataAfterTheGzipStreamIsReportedNotDropped() throws {
        let scratch = try scratchDirectory()
        let plain = scratch.appendingPathComponent("first.jsonl")
        try writeLines([commentLine(id: "first", body: "compressed")], to: plain)
        try gzipInPlace(plain)
        let export = scratch.appendingPathComponent("first.jsonl.gz")
        let handle = try FileHandle(forWritingTo: export)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((commentLine(id: "second", body: "appended without gzip") + "\n").utf8))
        try handle.close()
        let (result, queues) = try run([export.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(try ids(queues) == ["first"])
        let errors = try records(queues, "errors.jsonl")
        #expect(errors.count == 1)
        #expect((errors.first?["reason"] as? String)?.contains("not gzip") == true)
        #expect((errors.first?["raw"] as? String)?.contains("appended without gzip") == true)
    }

    /// A CSV header over the record limit was skipped in silence (a file with only a header
    /// then read as empty, exit 0). Now the file is refused with its line.
    @Test func aCSVHeaderOverTheRecordLimitIsAnError() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("wide.csv")
        try ("id,body," + String(repeating: "c", count: 5000) + "\n").write(to: export, atomically: true, encoding: .utf8)
        let (result, queues) = try run(["--max-record-bytes", "4K", export.path])
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("wide.csv:1:"), "\(result.stderr)")
        #expect(result.stderr.contains("header"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: queues.appendingPathComponent("approve.jsonl").path))
    }
}
