import Foundation

/// The repository's top folder (the one with Package.swift), found from this file's path so
/// that tests can move between folders without counting `..`s.
let repositoryRoot: URL = {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        directory = directory.deletingLastPathComponent()
    }
    return directory
}()
