import Foundation
import PCRE2
import Yams

/// Turns one rule file into compiled rules, reporting every mistake with its place.
///
/// A rule file is a mapping with `rules:` (a list of rules) and optionally `stage:`, the
/// stage of every rule in the file that does not name its own.
struct RuleFileParser {
    /// The stages the pipeline file declares; a rule must name one of them.
    let stages: [String]
    /// Reads a phrase list by the path the rule gives (relative to the rules directory), or
    /// says why not (outside the directory, too large, unreadable).
    let readList: (String) -> Result<String, RuleFileRefusal>

    static let ruleKeys: Set<String> = [
        "id", "stage", "description", "fields", "pattern", "list", "whole_words",
        "case_sensitive", "unicode", "action", "score", "count", "examples",
        "signal", "at_least", "skip_for_known_authors", "match_domains",
    ]

    func parse(_ document: inout YAMLDocument) -> [Rule] {
        guard let root = document.root() else { return [] }
        guard let top = document.mapping(root, what: "rule file", allowedKeys: ["stage", "rules"]) else { return [] }
        let fileStage = document.string(top["stage"], what: "stage")
        if let fileStage, let node = top["stage"] { checkStage(fileStage, node, &document) }
        guard let rulesNode = top["rules"] else {
            document.error(root, "rule file: 'rules' is required (a list of rules)")
            return []
        }
        guard case .sequence(let ruleNodes) = rulesNode else {
            document.error(rulesNode, "'rules' must be a list of rules")
            return []
        }
        return ruleNodes.compactMap { parseRule($0, fileStage: fileStage, &document) }
    }

    private func parseRule(_ node: Node, fileStage: String?, _ document: inout YAMLDocument) -> Rule? {
        guard let keys = document.mapping(node, what: "rule", allowedKeys: Self.ruleKeys) else { return nil }
        let errorsBefore = document.problems.count
        let location = document.location(of: node)

        let id = document.string(keys["id"], what: "id") ?? ""
        if keys["id"] == nil { document.error(node, "rule: 'id' is required") }
        let name = id.isEmpty ? "rule" : "rule '\(id)'"
        if !id.isEmpty, id.contains(where: { $0.isWhitespace }) {
            document.error(keys["id"], "\(name): an id must not contain spaces")
        }

        let stage = document.string(keys["stage"], what: "\(name): stage") ?? fileStage
        if let stage, let stageNode = keys["stage"] {
            checkStage(stage, stageNode, &document)
        } else if stage == nil {
            document.error(node, "\(name): 'stage' is required (here or at the top of the file)")
        }

        let description = document.string(keys["description"], what: "\(name): description") ?? ""
        if description.trimmingCharacters(in: .whitespaces).isEmpty {
            document.error(keys["description"] ?? node, "\(name): a one-line 'description' is required")
        } else if description.trimmingCharacters(in: .whitespacesAndNewlines).contains("\n") {
            document.error(keys["description"], "\(name): the description must be one line")
        }

        let fields = parseFields(keys["fields"], name: name, &document)
        let action = parseAction(keys["action"], name: name, &document)
        let score = document.number(keys["score"], what: "\(name): score") ?? 0
        if keys["action"] == nil && score == 0 {
            document.error(node, "\(name): needs an 'action' (approve, hold, reject), a non-zero 'score', or both")
        }
        var count = CountMode.first
        if let text = document.string(keys["count"], what: "\(name): count") {
            if let mode = CountMode(rawValue: text) { count = mode } else {
                document.error(keys["count"], "\(name): count must be 'first' or 'all', not '\(text)'")
            }
        }
        let examples = parseExamples(keys["examples"], name: name, &document)
        let skipForKnownAuthors = document.bool(keys["skip_for_known_authors"], what: "\(name): skip_for_known_authors") ?? false
        if skipForKnownAuthors && action == .reject {
            document.error(keys["skip_for_known_authors"], "\(name): a reject rule applies to everyone; known authors cannot skip it")
        }
        let signal = parseSignal(keys, ruleNode: node, name: name, &document)
        var list: PhraseListSource?
        let regex = signal == nil ? compileMatcher(keys, ruleNode: node, name: name, list: &list, &document) : nil

        guard document.problems.count == errorsBefore || !document.problems[errorsBefore...].contains(where: { $0.severity == .error }),
              regex != nil || signal != nil, let stage else { return nil }
        if regex != nil && examples.match.isEmpty && examples.noMatch.isEmpty {
            document.warning(node, "\(name): has no examples; add some it must and must not match")
        }
        return Rule(id: id, stage: stage, description: description.trimmingCharacters(in: .whitespacesAndNewlines),
                    fields: fields, regex: regex, signal: signal, skipForKnownAuthors: skipForKnownAuthors,
                    action: action, score: score, count: count, examples: examples, location: location, list: list)
    }

    /// `signal: links` with `at_least: 3`, instead of a pattern or a list.
    private func parseSignal(_ keys: [String: Node], ruleNode: Node, name: String,
                             _ document: inout YAMLDocument) -> SignalCondition? {
        guard let signalNode = keys["signal"] else {
            if let atLeast = keys["at_least"] { document.error(atLeast, "\(name): at_least goes with signal") }
            return nil
        }
        for key in ["pattern", "list", "fields", "count", "examples"] where keys[key] != nil {
            document.error(keys[key], "\(name): a signal rule has no \(key)")
        }
        guard let text = document.string(signalNode, what: "\(name): signal") else { return nil }
        guard let signal = Signal(rawValue: text) else {
            let known = Signal.allCases.map(\.rawValue).joined(separator: ", ")
            document.error(signalNode, "\(name): unknown signal '\(text)' (signals: \(known))")
            return nil
        }
        guard let atLeast = document.number(keys["at_least"], what: "\(name): at_least"),
              atLeast >= 1, atLeast == atLeast.rounded() else {
            document.error(keys["at_least"] ?? ruleNode, "\(name): a signal rule needs at_least, a whole number of 1 or more")
            return nil
        }
        return SignalCondition(signal: signal, atLeast: Int(atLeast))
    }

    private func checkStage(_ stage: String, _ node: Node, _ document: inout YAMLDocument) {
        if !stages.isEmpty && !stages.contains(stage) {
            document.error(node, "unknown stage '\(stage)' (the pipeline's stages: \(stages.joined(separator: ", ")))")
        }
    }

    private func parseFields(_ node: Node?, name: String, _ document: inout YAMLDocument) -> [RuleField] {
        guard let entries = document.strings(node, what: "\(name): fields") else { return [.raw(.body)] }
        var fields: [RuleField] = []
        for (text, entryNode) in entries {
            if let field = RuleField(name: text) {
                if !fields.contains(field) { fields.append(field) }
            } else {
                document.error(entryNode, "\(name): unknown field '\(text)' (fields: \(RuleField.names.joined(separator: ", ")))")
            }
        }
        if fields.isEmpty && !entries.isEmpty { return [.raw(.body)] }
        if entries.isEmpty { document.error(node, "\(name): fields must name at least one field") }
        return fields
    }

    private func parseAction(_ node: Node?, name: String, _ document: inout YAMLDocument) -> Action? {
        guard let text = document.string(node, what: "\(name): action") else { return nil }
        guard let action = Action(rawValue: text) else {
            document.error(node, "\(name): action must be approve, hold or reject, not '\(text)'")
            return nil
        }
        return action
    }

    private func parseExamples(_ node: Node?, name: String, _ document: inout YAMLDocument) -> RuleExamples {
        guard let node else { return RuleExamples() }
        guard let keys = document.mapping(node, what: "\(name): examples", allowedKeys: ["match", "no_match"]) else {
            return RuleExamples()
        }
        let match = document.strings(keys["match"], what: "\(name): examples.match") ?? []
        let noMatch = document.strings(keys["no_match"], what: "\(name): examples.no_match") ?? []
        return RuleExamples(match: match.map(\.0), noMatch: noMatch.map(\.0),
                            matchLocations: match.map { document.location(of: $0.1) },
                            noMatchLocations: noMatch.map { document.location(of: $0.1) })
    }

    /// Compiles the rule's `pattern`, or its `list` turned into one pattern.
    private func compileMatcher(_ keys: [String: Node], ruleNode: Node, name: String,
                                list: inout PhraseListSource?, _ document: inout YAMLDocument) -> Regex? {
        let caseSensitive = document.bool(keys["case_sensitive"], what: "\(name): case_sensitive") ?? false
        let unicodeNode = keys["unicode"]
        let unicode = document.bool(unicodeNode, what: "\(name): unicode")
        switch (keys["pattern"], keys["list"]) {
        case (nil, nil):
            document.error(ruleNode, "\(name): needs a 'pattern' or a 'list'")
            return nil
        case (.some, .some(let listNode)):
            document.error(listNode, "\(name): give a 'pattern' or a 'list', not both")
            return nil
        case (.some(let patternNode), nil):
            if let wholeWords = keys["whole_words"] {
                document.error(wholeWords, "\(name): whole_words applies to lists only; write \\b in the pattern")
            }
            guard let pattern = document.string(patternNode, what: "\(name): pattern") else { return nil }
            if pattern.isEmpty {
                document.error(patternNode, "\(name): the pattern is empty")
                return nil
            }
            let options = Self.options(caseSensitive: caseSensitive, unicode: unicode ?? false)
            do {
                return try Regex(pattern, options: options)
            } catch {
                document.report(RuleProblem(document.location(ofOffset: error.scalarOffset, inScalar: patternNode), .error,
                                            "\(name): pattern: \(error.message) (PCRE2 error \(error.code) at offset \(error.scalarOffset))"))
                return nil
            }
        case (nil, .some(let listNode)):
            guard let path = document.string(listNode, what: "\(name): list") else { return nil }
            let text: String
            switch readList(path) {
            case .success(let read): text = read
            case .failure(let refusal):
                // At the path value, like every other rule error.
                document.error(listNode, "\(name): \(refusal.message)", remedy: refusal.remedy)
                return nil
            }
            let wholeWords = document.bool(keys["whole_words"], what: "\(name): whole_words") ?? true
            let matchDomains = document.bool(keys["match_domains"], what: "\(name): match_domains") ?? false
            let phrases = PhraseList.phrases(in: text)
            if phrases.isEmpty {
                document.error(listNode, "\(name): list file '\(path)' has no phrases")
                return nil
            }
            list = PhraseListSource(path: path, phrases: phrases, wholeWords: wholeWords && !matchDomains)
            // Lists default to Unicode word characters, so "whole words" holds in every script.
            let options = Self.options(caseSensitive: caseSensitive, unicode: unicode ?? true)
            do {
                if matchDomains { return try Regex(PhraseList.domainPattern(for: phrases), options: options) }
                return try PhraseList.regex(for: phrases, wholeWords: wholeWords, options: options)
            } catch {
                document.error(listNode, "\(name): list '\(path)' does not compile: \(error.message)")
                return nil
            }
        }
    }

    static func options(caseSensitive: Bool, unicode: Bool) -> RegexOptions {
        var options: RegexOptions = []
        if !caseSensitive { options.insert(.caseless) }
        if unicode { options.insert(.unicodeProperties) }
        return options
    }
}
