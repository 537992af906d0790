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
