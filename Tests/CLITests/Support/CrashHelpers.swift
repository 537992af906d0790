import Foundation
import Testing

/// Every comment id in the three queues, with how often it appears; every line must parse.
func queuedIDs(_ queues: URL) throws -> [String: Int] {
    var seen: [String: Int] = [:]
    for queue in ["approve", "hold", "reject"] {
        for record in try records(queues, "\(queue).jsonl") {
            let id = try #require(record["id"] as? String)
            seen[id, default: 0] += 1
            #expect((record["moderation"] as? [String: Any])?["decision"] as? String == queue)
        }
    }
    return seen
}

/// An export of `count` comments with a few duplicate ids and bad lines mixed in.
func writeExport(count: Int, to url: URL) throws -> (ids: Set<String>, badLines: Int) {
    let bodies = ["A lovely film, thank you", "check out my channel please", "buy cheap viagra online",
                  "see https://example.org/review", "sub4sub! free gift cards http://bit.ly/x1", "Que filme lindo"]
    var lines: [String] = []
    var badLines = 0
    for index in 0..<count {
        lines.append(commentLine(id: "k\(index)", body: bodies[index % bodies.count] + " \(index)"))
        if index % 1_000 == 0 { lines.append(commentLine(id: "k\(index)", body: "the same id again")) }
        if index % 2_500 == 0 {
            lines.append("{\"id\": \"broken-\(index)\", \"body\": ")
            badLines += 1
        }
    }
    try writeLines(lines, to: url)
    return (Set((0..<count).map { "k\($0)" }), badLines)
}

func runInBackground(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = Moderate.binary
    process.arguments = arguments
    process.currentDirectoryURL = Moderate.packageRoot
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Every id of the export is in exactly one queue, once: nothing lost, nothing doubled.
func expectEachQueuedOnce(_ ids: Set<String>, in queues: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let seen = try queuedIDs(queues)
    #expect(Set(seen.keys) == ids, sourceLocation: sourceLocation)
    #expect(seen.values.allSatisfy { $0 == 1 }, sourceLocation: sourceLocation)
}
