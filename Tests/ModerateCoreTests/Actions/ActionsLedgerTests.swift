import Foundation
@testable import ModerateCore
import Testing

@Suite struct ActionsLedgerTests {
    @Test func whatWasRecordedIsKnownNextTimeForItsTargetOnly() throws {
        let queues = try QueueDirectory()
        do {
            let ledger = try ActionsLedger(queueDirectory: queues.path, target: .wpCLI)
            #expect(ledger.emitted.isEmpty)
            try ledger.record([("1", .approve), ("2", .reject)])
            try ledger.record([("1", .hold)])
        }
        #expect(try ActionsLedger(queueDirectory: queues.path, target: .wpCLI).emitted == ["1": .hold, "2": .reject])
        #expect(try ActionsLedger(queueDirectory: queues.path, target: .csv).emitted.isEmpty)
        let path = queues.path + "/.moderate/" + ActionsLedger.fileName
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
    }

    @Test func aLineCutShortByACrashIsLeftAsItIsAndTheNextLineStartsAfresh() throws {
        let queues = try QueueDirectory()
        try FileManager.default.createDirectory(atPath: queues.path + "/.moderate", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try queues.appendLine(Data("{\"for\":\"wp-cli\",\"id\":\"1\",\"action\":\"appr".utf8), to: ".moderate/" + ActionsLedger.fileName)
        do {
            let ledger = try ActionsLedger(queueDirectory: queues.path, target: .wpCLI)
            #expect(ledger.emitted.isEmpty)
            #expect(ledger.unreadableLines == 1)
            try ledger.record([("2", .approve)])
        }
        let reopened = try ActionsLedger(queueDirectory: queues.path, target: .wpCLI)
        #expect(reopened.emitted == ["2": .approve])
        #expect(reopened.unreadableLines == 1)
    }

    @Test func aLedgerThatIsALinkIsRefused() throws {
        let queues = try QueueDirectory()
        try FileManager.default.createDirectory(atPath: queues.path + "/.moderate", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let target = queues.path + "-target"
        FileManager.default.createFile(atPath: target, contents: Data())
        try FileManager.default.createSymbolicLink(atPath: queues.path + "/.moderate/" + ActionsLedger.fileName, withDestinationPath: target)
        #expect(throws: (any Error).self) { try ActionsLedger(queueDirectory: queues.path, target: .wpCLI) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
    }
}
