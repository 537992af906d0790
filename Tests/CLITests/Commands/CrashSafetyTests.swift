import Foundation
import Testing

@Suite(.serialized) struct CrashSafetyTests {
    @Test func rerunningAfterSuccessAddsNothing() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        let (ids, badLines) = try writeExport(count: 3_000, to: export)
        let queues = scratch.appendingPathComponent("queues")
        let first = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect(first.status == 1)  // the bad lines
        let again = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect(again.status == 0, "nothing new, nothing bad: \(again.stderr)")
        #expect(again.stderr.contains("0 comments from 1 file"))
        try expectEachQueuedOnce(ids, in: queues)
        #expect(try records(queues, "errors.jsonl").count == badLines)
    }

    @Test func aGivenIdOfTheDerivedFormIsNotTheIdlessCommentItCopies() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        let idless = scratch.appendingPathComponent("idless.jsonl")
        try writeLines([#"{"author": "ann", "body": "A lovely film, thank you"}"#], to: idless)
        // An id-less record keeps no "id" of its own: its id is in "moderation".
        func moderatedIDs() throws -> [String] {
            try ["approve", "hold", "reject"].flatMap { try records(queues, "\($0).jsonl") }
                .compactMap { ($0["moderation"] as? [String: Any])?["id"] as? String }
        }
        #expect(try Moderate.run(["run", "--queues", queues.path, idless.path]).status == 0)
        let derived = try #require(try moderatedIDs().first)
        #expect(derived.hasPrefix("sha256:"))

        // Another comment whose exporter gave it that very id is a comment of its own.
        let copier = scratch.appendingPathComponent("copier.jsonl")
        try writeLines([commentLine(id: derived, body: "A different comment with a borrowed id")], to: copier)
        let second = try Moderate.run(["run", "--queues", queues.path, copier.path])
        #expect(second.stderr.contains("1 comments from 1 file"), "\(second.stderr)")
        #expect(try moderatedIDs().filter { $0 == derived }.count == 2)

        // Both stay queued, whether the journal knows them or is rebuilt from the queue files.
        for rebuild in [false, true] {
            if rebuild { try FileManager.default.removeItem(at: queues.appendingPathComponent(".moderate/journal")) }
            let again = try Moderate.run(["run", "--queues", queues.path, idless.path, copier.path])
            #expect(again.stderr.contains("0 comments from 2 files") && again.stderr.contains("2 already queued"), "\(again.stderr)")
        }
    }

    @Test func killedAtRandomPointsManyTimesThenRerunEveryCommentIsQueuedExactlyOnce() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        let (ids, badLines) = try writeExport(count: 40_000, to: export)
        let queues = scratch.appendingPathComponent("queues")
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<12 {
            let process = try runInBackground(["run", "--queues", queues.path, export.path])
            usleep(UInt32.random(in: 20_000...600_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
        }
        let final = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect([0, 1].contains(final.status), "\(final.stderr)")
        let seen = try queuedIDs(queues)
        #expect(Set(seen.keys) == ids)
        #expect(seen.filter { $0.value != 1 }.isEmpty, "duplicates: \(seen.filter { $0.value != 1 }.prefix(5))")
        #expect(try records(queues, "errors.jsonl").count == badLines)
        #expect(kills > 0)
    }

    @Test func aSecondRunExitsAtOnceWhileTheFirstHoldsTheQueues() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        let state = queues.appendingPathComponent(".moderate")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        // Hold the lock as a running moderate would.
        let descriptor = open(state.appendingPathComponent("lock").path, O_RDWR | O_CREAT, 0o600)
        #expect(flock(descriptor, LOCK_EX) == 0)
        let second = try Moderate.run(["run", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        #expect(second.status == 75)
        #expect(second.stderr.contains("is in use by another moderate run"))
        #expect(try records(queues, "approve.jsonl").isEmpty)

        // With --wait it starts as soon as the lock is free.
        let waiting = try runInBackground(["run", "--wait", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        usleep(300_000)
        #expect(waiting.isRunning)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 0)
        #expect(try queuedIDs(queues).count == 24)
    }

    @Test func twoRunsStartedTogetherWithWaitQueueEachCommentOnce() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        let (ids, _) = try writeExport(count: 10_000, to: export)
        let queues = scratch.appendingPathComponent("queues")
        let runs = try (0..<2).map { _ in try runInBackground(["run", "--wait", "--queues", queues.path, export.path]) }
        for run in runs { run.waitUntilExit() }
        #expect(runs.map(\.terminationStatus).sorted() == [0, 1])  // one found the bad lines new, one found them queued
        try expectEachQueuedOnce(ids, in: queues)
    }

    @Test func aFileSizeLimitMidBatchFailsCleanlyAndTheNextRunCompletes() throws {
        let scratch = try scratchDirectory()
        let export = scratch.appendingPathComponent("export.jsonl")
        let (ids, _) = try writeExport(count: 20_000, to: export)
        let queues = scratch.appendingPathComponent("queues")
        // 1 MiB per file at most (bash counts 1024-byte blocks): the approve queue (about 4 MB) outgrows it mid-run.
        let limited = Process()
        limited.executableURL = URL(fileURLWithPath: "/bin/bash")
        limited.arguments = ["-c", "ulimit -f 1024; exec \"$0\" run --queues \"$1\" \"$2\"", Moderate.binary.path, queues.path, export.path]
        let errorPipe = Pipe()
        limited.standardError = errorPipe
        try limited.run()
        let message = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        limited.waitUntilExit()
        #expect(limited.terminationStatus == 74)
        #expect(message.contains("File too large"), "\(message)")
        // What is in the queues now is whole: every line parses, no id twice.
        let partial = try queuedIDs(queues)
        #expect(partial.values.allSatisfy { $0 == 1 })
        #expect(partial.count < ids.count)

        let rerun = try Moderate.run(["run", "--queues", queues.path, export.path])
        #expect([0, 1].contains(rerun.status), "\(rerun.stderr)")
        try expectEachQueuedOnce(ids, in: queues)
    }

    @Test func aQueueDirectoryThatCannotBeWrittenFailsWithTheReasonAndNothingIsLost() throws {
        let scratch = try scratchDirectory()
        let queues = scratch.appendingPathComponent("queues")
        try FileManager.default.createDirectory(at: queues, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        var arguments = ["run", "--queues", queues.path, "fixtures/film-blog.jsonl"]
        if asRoot {
            // Root may write anywhere: run as nobody, for whom a root-owned 0755 directory is read-only.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: queues.path)
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", Moderate.binary.path] + arguments
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: queues.path)
        }
        let process = Process()
        process.executableURL = asRoot ? URL(fileURLWithPath: "/usr/bin/setpriv") : Moderate.binary
        process.arguments = arguments
        process.currentDirectoryURL = Moderate.packageRoot
        let errorPipe = Pipe()
        process.standardError = errorPipe
        try process.run()
        let message = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
        #expect(message.contains("Permission denied"), "\(message)")

        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: queues.path)
        let rerun = try Moderate.run(["run", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        #expect(rerun.status == 0)
        #expect(try queuedIDs(queues).count == 24)
    }

    @Test func stateFilesAreOwnerOnlyToo() throws {
        let queues = try scratchDirectory().appendingPathComponent("queues")
        try Moderate.run(["run", "--queues", queues.path, "fixtures/film-blog.jsonl"])
        for path in [".moderate", ".moderate/journal", ".moderate/lock"] {
            let mode = try FileManager.default.attributesOfItem(atPath: queues.appendingPathComponent(path).path)[.posixPermissions] as? Int
            #expect(mode == (path == ".moderate" ? 0o700 : 0o600), "\(path)")
        }
    }

    @Test func summaryJSONReportsTheOutcomeForMonitoring() throws {
        let scratch = try scratchDirectory()
        let summary = scratch.appendingPathComponent("summary.json")
        let result = try Moderate.run(["run", "--quiet", "--queues", scratch.appendingPathComponent("q").path,
                                       "--summary-json", summary.path, "fixtures/film-blog.jsonl"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "quiet on success: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any])
        #expect(object["status"] as? String == "ok")
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["comments"] as? Int == 24)
        #expect(object["reject"] as? Int == 7)
        #expect((object["rules"] as? String)?.hasPrefix("sha256:") == true)
    }
}
