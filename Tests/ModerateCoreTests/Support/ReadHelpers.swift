import Foundation
import Testing
@testable import ModerateCore

let fixturesDirectory = repositoryRoot.appendingPathComponent("fixtures")

/// Everything a reader gives for an input: comments (with their records parsed) and errors.
struct ReadResult {
    var comments: [InputComment] = []
    var errors: [InputError] = []

    func record(_ id: String) throws -> [String: Any] {
        let input = try #require(comments.first { $0.comment.id == id }, "no comment \(id)")
        return try #require(try JSONSerialization.jsonObject(with: Data(input.originalJSON)) as? [String: Any])
    }

    func comment(_ id: String) throws -> ModerateCore.Comment {
        try #require(comments.first { $0.comment.id == id }?.comment, "no comment \(id)")
    }

    var ids: [String] { comments.map(\.comment.id) }
}

func readAll(_ path: String, format: InputFormat? = nil, map: [CommentField: String] = [:]) throws -> ReadResult {
    let reader = try CommentReaders.open(InputSource(path: path), format: format, options: ReadOptions(columnMap: map))
    var result = ReadResult()
    while let item = try reader.next() {
        switch item {
        case .comment(let input):
            // Every record a reader builds must be a JSON object the queue writer can extend.
            _ = try #require(try JSONSerialization.jsonObject(with: Data(input.originalJSON)) as? [String: Any])
            result.comments.append(input)
        case .error(let error): result.errors.append(error)
        }
    }
    return result
}

func fixture(_ name: String) -> String { fixturesDirectory.appendingPathComponent(name).path }

func scratchFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-readers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// gzip(1)'s output for `text`, one member (`-n`: no name or time, so the same each time).
func gzip(_ text: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-n", "-c"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(data)
}
