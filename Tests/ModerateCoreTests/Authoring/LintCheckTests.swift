import Foundation
@testable import ModerateCore
import Testing

/// One test over every lint check, as SwiftLint runs every rule's examples: each triggering
/// example makes its check warn, each non-triggering one does not, and ids are unique.
@Suite struct LintCheckTests {
    static let checks = RuleLinter.checks.map { type(of: $0) }

    func warnings(of files: [String: String]) throws -> [RuleProblem] {
        let directory = try makeRulesDirectory(files.merging(["pipeline.yaml": standardPipeline]) { first, _ in first })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = RuleLoader.load(directory: directory)
        let ruleSet = try #require(result.ruleSet, "\(result.errors)")
        return RuleLinter(ruleSet: ruleSet).warnings()
    }

    @Test(arguments: RuleLinter.checks.map { type(of: $0).id })
    func everyCheckWarnsOnItsTriggeringExamplesOnly(id: String) throws {
        let check = try #require(Self.checks.first { $0.id == id })
        #expect(!check.triggering.isEmpty && !check.nonTriggering.isEmpty, "\(id) needs examples of both kinds")
        for example in check.triggering {
            let found = try warnings(of: example)
            #expect(found.contains { $0.check == id }, "\(id) did not warn on \(example)")
            #expect(found.filter { $0.check == id }.allSatisfy { $0.description.hasSuffix("[\(id)]") })
        }
        for example in check.nonTriggering {
            let found = try warnings(of: example).filter { $0.check == id }
            #expect(found.isEmpty, "\(id) warned on its non-triggering example: \(found)")
        }
    }

    @Test func idsAreUniqueAndSummariesAreOneLine() {
        let ids = Self.checks.map { $0.id }
        #expect(Set(ids).count == ids.count)
        for check in Self.checks {
            #expect(!check.summary.isEmpty && !check.summary.contains("\n"))
        }
    }
}
