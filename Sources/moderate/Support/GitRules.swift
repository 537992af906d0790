import ArgumentParser
import Foundation
import ModerateCore

/// The rules directory as committed at a git revision, written to a temporary folder, so that
/// "what did my edit change" is one command in a checkout.
enum GitRules {
    static func export(_ directory: String, at revision: String) throws -> String {
        let prefix: String, root: String
        do {
            prefix = try output(of: ["git", "-C", directory, "rev-parse", "--show-prefix"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            root = try output(of: ["git", "-C", directory, "rev-parse", "--show-toplevel"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            printError("moderate: \(directory) is not in a git checkout (\(error))")
            throw Outcome.ruleErrors.exitCode
        }
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("moderate-rules-at-revision-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        // `git archive REV:path` writes that folder's files as they were committed; tar unpacks them.
        // It runs at the checkout's top: from a subfolder, git would limit the archive to that folder's path.
        let archive = Process(), unpack = Process()
        archive.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        archive.arguments = ["git", "-C", root, "archive", "--format=tar", "\(revision):\(prefix)"]
        unpack.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        unpack.arguments = ["tar", "-x", "-C", target]
        let pipe = Pipe(), errors = Pipe()
        archive.standardOutput = pipe
        archive.standardError = errors
        unpack.standardInput = pipe
        unpack.standardError = FileHandle.nullDevice   // git's message says what went wrong
        try archive.run()
        try unpack.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        archive.waitUntilExit()
        unpack.waitUntilExit()
        guard archive.terminationStatus == 0, unpack.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: target)
            printError("moderate: cannot read \(directory) at git revision \(revision): "
                       + message.trimmingCharacters(in: .whitespacesAndNewlines))
            throw Outcome.ruleErrors.exitCode
        }
        return target
    }

    private struct CommandFailed: Error, CustomStringConvertible { var description: String }

    private static func output(of arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
