import Foundation
import Yams

/// A comment with the decision it must get, from a file under `cases/` (README, "moderate test").
public struct TestCase: Sendable {
    /// A short name for messages; the first words of the body when the file gives none.
    public var name: String
    public var comment: Comment
    public var expect: Action
    /// The rule that must make the decision, when the case names one.
    public var rule: String?
    public var location: SourceLocation

    public init(name: String, comment: Comment, expect: Action, rule: String? = nil, location: SourceLocation) {
        self.name = name
        self.comment = comment
        self.expect = expect
        self.rule = rule
        self.location = location
    }
}

/// Reads `DIR/cases/*.yaml` (and `.yml`): each file is a mapping with `cases:`, a list of
/// comments written with the input's field names plus `expect` (and optionally `rule`, `name`).
public enum TestCaseLoader {
    public static func load(rulesDirectory: String) -> (cases: [TestCase], problems: [RuleProblem]) {
        let folder = (rulesDirectory as NSString).appendingPathComponent(RuleLoader.casesFolderName)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return ([], []) }
        var cases: [TestCase] = []
        var problems: [RuleProblem] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(validating: data, as: UTF8.self) else {
                problems.append(RuleProblem(SourceLocation(file: path, line: 1, column: 1), .error,
                                            "cannot read case file (it must be UTF-8 text)"))
                continue
            }
            var document = YAMLDocument(path: path, text: text)
            cases += parse(&document)
            problems += document.problems
        }
        return (cases, problems)
    }

    static let caseKeys: Set<String> = Set(["name", "expect", "rule"] + CommentField.names)

    static func parse(_ document: inout YAMLDocument) -> [TestCase] {
        guard let root = document.root(),
              let top = document.mapping(root, what: "case file", allowedKeys: ["cases"]) else { return [] }
        guard case .sequence(let nodes)? = top["cases"] else {
            document.error(top["cases"] ?? root, "case file: 'cases' must be a list of comments")
            return []
        }
        var cases: [TestCase] = []
        for node in nodes {
            guard let keys = document.mapping(node, what: "case", allowedKeys: caseKeys) else { continue }
            var fields: [CommentField: String] = [:]
            for field in CommentField.allCases {
                if let value = document.string(keys[field.rawValue], what: "case: \(field.rawValue)") { fields[field] = value }
            }
            guard let body = fields[.body] else {
                document.error(node, "case: 'body' is required")
                continue
            }
            guard let expectText = document.string(keys["expect"], what: "case: expect") else {
                document.error(node, "case: 'expect' is required (approve, hold or reject)")
                continue
            }
            guard let expect = Action(rawValue: expectText) else {
                document.error(keys["expect"], "case: expect must be approve, hold or reject, not '\(expectText)'")
                continue
            }
            let name = document.string(keys["name"], what: "case: name") ?? Self.shortName(body)
            cases.append(TestCase(name: name, comment: Comment(id: fields[.id] ?? name, fields: fields), expect: expect,
                                  rule: document.string(keys["rule"], what: "case: rule"),
                                  location: document.location(of: node)))
        }
        return cases
    }

    static func shortName(_ body: String) -> String {
        let flat = body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count <= 40 ? flat : String(flat.prefix(40)) + "…"
    }
}
