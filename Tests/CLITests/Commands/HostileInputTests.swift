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
}
