import Foundation
@testable import ModerateCore
import Testing

@Suite struct AtomicFileTests {
    private func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("moderate-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theFileIsReplacedWholeOwnerOnlyAndNoTemporaryIsLeft() throws {
        let directory = try scratch()
        let path = directory + "/moderate.prom"
        try AtomicFile.replace(path, with: Array("one\n".utf8))
        try AtomicFile.replace(path, with: Array("two\n".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["moderate.prom"])
    }

    @Test func aPlantedLinkIsReplacedNotWrittenThrough() throws {
        let directory = try scratch()
        let victim = directory + "/victim"
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: directory + "/moderate.prom", withDestinationPath: victim)
        try AtomicFile.replace(directory + "/moderate.prom", with: Array("metrics\n".utf8))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep\n")
        let type = try FileManager.default.attributesOfItem(atPath: directory + "/moderate.prom")[.type] as? FileAttributeType
        #expect(type == .typeRegular)
    }

    @Test func aDirectoryInThePlaceIsRefused() throws {
        let directory = try scratch()
        try FileManager.default.createDirectory(atPath: directory + "/moderate.prom", withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { try AtomicFile.replace(directory + "/moderate.prom", with: [0x0A]) }
    }
}
