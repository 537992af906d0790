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

    /// Comments with copies and a burst spread over the whole input, for the batch signals.
    static func batchInput() -> [String] {
        let flood = "Earn four hundred dollars a day from home, message me on WhatsApp now"
        var lines: [String] = []
        for index in 0..<40 {
            let author = index % 4 == 0 ? "burster" : "reader\(index)"
            let minute = index % 4 == 0 ? index / 4 : index * 30
            let body = index % 3 == 0 ? flood : "A thoughtful comment number \(index) about the film and its ending"
            let object: [String: Any] = ["id": "c\(index)", "author": author, "author_email": "\(author)@example.org",
                                         "date": String(format: "2026-01-0%dT%02d:%02d:00Z", 1 + minute / 1440, (minute / 60) % 24, minute % 60),
                                         "body": body]
            lines.append(String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        }
        return lines
    }

    /// `same_body` and `author_burst` from `--batch-keys` lines, as README "Past one machine"
    /// defines them (what an outside engine computes over the whole input).
    static func signals(fromKeys keyLines: [String]) throws -> [(sameBody: Int, authorBurst: Int)?] {
        let keys = try keyLines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        var wholeCopies: [String: Int] = [:]
        var lastRecord: [String: String] = [:]
        for key in keys {
            guard let ahead = key["ahead"] as? [String: Any], let body = ahead["body"] as? String, let record = ahead["record"] as? String else { continue }
            if lastRecord[body] != record { wholeCopies[body, default: 0] += 1 }
            lastRecord[body] = record
        }
        var soFar: [String: Int] = [:]
        var times: [String: [Double?]] = [:]
        return keys.map { key in
            guard let seen = key["seen"] as? [String: Any] else { return nil }
            var sameBody = 1
            if let body = seen["body"] as? String {
                soFar[body, default: 0] += 1
                sameBody = max(soFar[body]!, wholeCopies[body] ?? 0)
            }
            let window = key["burst_window"] as! Double
            let seconds = seen["seconds"] as? Double
            var burst = 1
            for author in seen["authors"] as! [String] {
                let earlier = times[author, default: []].suffix(256)
                let near = earlier.filter { other in
                    guard let seconds, let other else { return true }
                    return abs(seconds - other) <= window
                }.count
                burst = max(burst, near + 1)
                times[author, default: []].append(seconds)
            }
            return (sameBody, burst)
        }
    }

    /// Given the counts a whole `run` sees, the filter over a part of the input writes exactly
    /// run's queue lines for that part (the reserved field taken off again); counted within the
    /// part alone, some decisions differ.
    @Test func givenBatchSignalsAPartGetsTheLinesOfAWholeRun() throws {
        let scratch = try scratchDirectory()
        let all = Self.batchInput()
        let whole = scratch.appendingPathComponent("whole.jsonl")
        try writeLines(all, to: whole)
        let queues = scratch.appendingPathComponent("queues")
        let run = try Moderate.run(["run", "--rules", "rules", "--queues", queues.path, "--quiet", whole.path])
        #expect(run.status == 0, "\(run.stderr)")
        var queued: [String: String] = [:]
        for queue in ["approve", "hold", "reject"] {
            for line in lines(String(decoding: FileManager.default.contents(atPath: queues.appendingPathComponent("\(queue).jsonl").path) ?? Data(), as: UTF8.self)) {
                queued[try #require(line.firstRange(of: #""id":""#).map { String(line[$0.upperBound...].prefix { $0 != "\"" }) })] = line
            }
        }
        let keys = try Moderate.run(["filter", "--rules", "rules", "--batch-keys", whole.path])
        #expect(keys.status == 0, "\(keys.stderr)")
        let signals = try Self.signals(fromKeys: lines(keys.stdout))
        #expect(signals.count == all.count)
        #expect(signals.contains { ($0?.sameBody ?? 0) > 5 } && signals.contains { ($0?.authorBurst ?? 0) > 3 })

        let part = Array(all.indices.dropFirst(25))
        let annotated = part.map { index -> String in
            let signal = signals[index]!
            return String(all[index].dropLast()) + #","moderate_batch":{"same_body":\#(signal.sameBody),"author_burst":\#(signal.authorBurst)}}"#
        }
        let given = try Moderate.run(["filter", "--rules", "rules", "--batch-signals", "given"], stdin: Data((annotated.joined(separator: "\n") + "\n").utf8))
        #expect(given.status == 0, "\(given.stderr)")
        let givenLines = lines(given.stdout)
        #expect(givenLines.count == part.count)
        let note = #","batch_signals":"given by the input""#
        for (index, line) in zip(part, givenLines) {
            #expect(line.contains(note))
            #expect(!line.contains("moderate_batch"))
            #expect(line.replacingOccurrences(of: note, with: "") == queued["c\(index)"], "c\(index)")
        }
        // Counted within the part alone, the flood's copies and the burst are smaller.
        let counted = try Moderate.run(["filter", "--rules", "rules"], stdin: Data((part.map { all[$0] }.joined(separator: "\n") + "\n").utf8))
        let countedLines = lines(counted.stdout).map { $0.replacingOccurrences(of: Self.localSignals, with: "") }
        #expect(zip(part, countedLines).contains { queued["c\($0)"] != $1 })
    }

    /// A comment without the field, or with a malformed one, is an error line in its place:
    /// counting it here would give a decision the whole input would not.
    @Test func givenBatchSignalsAMissingOrMalformedFieldIsAnError() throws {
        let input = [commentLine(id: "1", body: "first comment here"),
                     String(commentLine(id: "2", body: "second").dropLast()) + #","moderate_batch":{"same_body":0,"author_burst":1}}"#,
                     String(commentLine(id: "3", body: "third").dropLast()) + #","moderate_batch":{"same_body":2,"author_burst":1}}"#]
        let result = try Moderate.run(["filter", "--rules", "rules", "--batch-signals", "given"], stdin: Data((input.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let output = lines(result.stdout)
        #expect(try output.map(decision) == ["error", "error", "approve"])
        #expect(output[0].contains("no moderate_batch field"))
        #expect(output[2].hasPrefix(commentLine(id: "3", body: "third").dropLast() + #","moderation""#))
    }
}

