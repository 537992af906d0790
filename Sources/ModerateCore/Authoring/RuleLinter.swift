import Foundation
import PCRE2

/// Warnings about rules that compile but will not do what their author meant: duplicates
/// and shadowed rules, patterns that match nothing at all (the empty string), shapes that
/// backtrack catastrophically, keywords that fire inside ordinary words, and rules that
/// can never run. Every warning points at the rule (file:line:column).
public struct RuleLinter {
    public let ruleSet: RuleSet
    public let commonWords: [String]
    private let session: MatchSession

    public init(ruleSet: RuleSet, commonWords: [String] = CommonWords.all) {
        self.ruleSet = ruleSet
        self.commonWords = commonWords
        // A low limit: a lint probe that needs more work than this says enough about the rule.
        session = MatchSession(limits: MatchLimits(matchLimit: 100_000))
    }

    public func warnings() -> [RuleProblem] {
        var warnings: [RuleProblem] = []
        let rules = ruleSet.rules
        let alwaysDeciding = rules.first { firesOnEveryComment($0) && decidesAlone($0) }
        for (index, rule) in rules.enumerated() {
            let name = "rule '\(rule.id)'"
            func warn(_ message: String) { warnings.append(RuleProblem(rule.location, .warning, "\(name): \(message)")) }

            if let blocker = alwaysDeciding, stageIndex(rule.stage) > stageIndex(blocker.stage) {
                warn("can never run: rule '\(blocker.id)' (\(blocker.location)) fires on every comment "
                     + "and decides in the earlier stage '\(blocker.stage)'")
            }
            // Signal rules have no pattern: the checks below are about patterns.
            guard let regex = rule.regex else { continue }
            if let shadowing = shadowingMessage(for: rule, earlier: rules[..<index]) { warn(shadowing) }
            let matchesEmpty = matchesEmptyString(regex)
            if matchesEmpty {
                warn("the pattern matches the empty string, so it fires on every comment that has "
                     + "\(rule.fields.map(\.description).joined(separator: " or ")); make something in it required")
            }
            if rule.list == nil, let shape = NestedQuantifierScan.riskyGroup(in: regex.pattern) {
                warn("nested quantifiers in '\(shape)' can backtrack catastrophically on long comments "
                     + "(heuristic); make the inner or outer repeat possessive (++, *+) or atomic (?>…)")
            }
            if !matchesEmpty, let words = wordsMatchedInside(rule, regex) {
                let fix = rule.list != nil ? "set whole_words: true" : "add \\b around the keyword"
                warn("fires inside common words: " + words.map { "'\($0.word)' (\($0.match))" }.joined(separator: ", ")
                     + "; \(fix)")
            }
        }
        return warnings
    }

    // MARK: Duplicates and shadowing

    /// A rule never fires without `earlier` firing too when both have the same pattern and
    /// options and `earlier` looks at every field this one does.
    private func coveredBy(_ earlier: Rule, _ rule: Rule) -> Bool {
        guard let earlierRegex = earlier.regex, let regex = rule.regex else { return false }
        return earlierRegex.pattern == regex.pattern && earlierRegex.options == regex.options
            && Set(rule.fields).isSubset(of: Set(earlier.fields))
    }

    private func shadowingMessage(for rule: Rule, earlier: ArraySlice<Rule>) -> String? {
        for other in earlier where coveredBy(other, rule) {
            let place = "rule '\(other.id)' (\(other.location))"
            if other.stage != rule.stage, let action = other.action {
                return "can never decide: \(place) has the same pattern on its fields and decides first "
                    + "(action \(action.rawValue) in the earlier stage '\(other.stage)'), so this rule never runs on what it matches"
            }
            guard other.stage == rule.stage else { continue }
            var neverDecides = ""
            if let action = other.action, let own = rule.action, own <= action {
                neverDecides = own == action
                    ? "; it can never decide: both have action \(action.rawValue) and the earlier rule decides"
                    : "; it can never decide: the other rule's action \(action.rawValue) wins over \(own.rawValue)"
            }
            if Set(other.fields) == Set(rule.fields) {
                return "duplicate of \(place): same pattern, fields and stage, so both always fire together" + neverDecides
            }
            if !neverDecides.isEmpty {
                return "shadowed by \(place): same pattern in the same stage on more fields" + neverDecides
            }
        }
        return nil
    }

    // MARK: Rules that fire on everything

    private func matchesEmptyString(_ regex: Regex) -> Bool {
        // An empty match anywhere, not only on an empty text: `\b` or `x*` match nothing too.
        for probe in ["", "a", " ", "hello world"] {
            if case .match(let range) = session.firstMatch(of: regex, in: probe), range.isEmpty { return true }
        }
        return false
    }

    /// True when the rule fires on every comment: it matches the empty string in `body`,
    /// the one field every comment has.
    private func firesOnEveryComment(_ rule: Rule) -> Bool {
        guard rule.fields.contains(.raw(.body)) || rule.fields.contains(.normalized(.body)),
              let regex = rule.regex else { return false }
        return regex.matchesEmptyString(in: session)
    }

    /// True when firing alone is enough for the rule's stage to decide.
    private func decidesAlone(_ rule: Rule) -> Bool {
        rule.action != nil || rule.score >= ruleSet.thresholds.reject
    }

    private func stageIndex(_ name: String) -> Int {
        ruleSet.stages.firstIndex { $0.name == name } ?? 0
    }

    // MARK: Scunthorpe

    /// Common words in which the rule matches only part of the word (at most three listed).
    /// Only rules on prose fields are checked: in a URL or an email address, matching part
    /// of a word is usually the point.
    private func wordsMatchedInside(_ rule: Rule, _ regex: Regex) -> [(word: String, match: String)]? {
        guard rule.fields.contains(where: { $0.sourceField == .body || $0.sourceField == .author }) else { return nil }
        var found: [(word: String, match: String)] = []
        for word in commonWords {
            guard case .match(let range) = session.firstMatch(of: regex, in: word),
                  range.count < word.utf8.count else { continue }
            let match = String(decoding: Array(word.utf8)[range], as: UTF8.self)
            // One word per keyword found, so that each offending keyword shows.
            guard !found.contains(where: { $0.match.lowercased() == match.lowercased() }) else { continue }
            found.append((word, match))
            if found.count == 3 { break }
        }
        return found.isEmpty ? nil : found
    }
}

/// A heuristic scan of a pattern's text for a repeated group whose body also repeats without
/// bound, such as `(a+)+`, `(\w*)*` or `(.*a){3}`: shapes where PCRE2 can try exponentially
/// many ways to split a long text before failing. It reads the pattern's syntax only; it does
/// not prove that a flagged group backtracks (`(ab+)+` is in fact harmless) nor that an
/// unflagged one does not (overlapping alternatives like `(a|a)*` are not looked for).
/// A repeat of at most 2 (`{2}`) is not flagged: it squares the work at worst, which the
/// match limit bounds. Possessive quantifiers and atomic groups are taken as safe.
public enum NestedQuantifierScan {
    public static func riskyGroup(in pattern: String) -> String? {
        let characters = Array(pattern)
        struct Group { var start: Int; var atomic: Bool; var repeatsInside = false }
        var groups = [Group(start: 0, atomic: false)]
        var index = 0
        while index < characters.count {
            let character = characters[index]
            var atomEnd = index + 1   // where the quantifier of this atom would start
            var closedGroup: Group?
            switch character {
            case "\\":
                atomEnd = escapeEnd(characters, index)
            case "[":
                atomEnd = classEnd(characters, index)
            case "(":
                if characters[safe: index + 1] == "*" || (characters[safe: index + 1] == "?" && characters[safe: index + 2] == "#") {
                    // A verb like (*UCP) or a comment: skip it whole.
                    index = (characters[index...].firstIndex(of: ")") ?? characters.count - 1) + 1
                    continue
                }
                let atomic = characters[safe: index + 1] == "?" && characters[safe: index + 2] == ">"
                groups.append(Group(start: index, atomic: atomic))
                index += 1
                continue
            case ")":
                guard groups.count > 1 else { index += 1; continue }
                closedGroup = groups.removeLast()
            default:
                break
            }
            let quantifier = Quantifier.parse(characters, at: atomEnd)
            if let group = closedGroup {
                if let quantifier, !quantifier.possessive, quantifier.max.map({ $0 >= 3 }) ?? true,
                   group.repeatsInside, !group.atomic {
                    return String(characters[group.start..<(atomEnd + quantifier.length)])
                }
                if group.repeatsInside && !group.atomic { groups[groups.count - 1].repeatsInside = true }
            }
            if let quantifier, quantifier.isLong, !quantifier.possessive {
                groups[groups.count - 1].repeatsInside = true
            }
            index = atomEnd + (quantifier?.length ?? 0)
        }
        return nil
    }

    private struct Quantifier {
        var min: Int
        var max: Int?   // nil: unbounded
        var length: Int
        var possessive: Bool

        /// Unbounded, or allowing many repeats: what makes a nested repeat expensive.
        var isLong: Bool { max.map { $0 >= 10 } ?? true }

        static func parse(_ characters: [Character], at index: Int) -> Quantifier? {
            guard let first = characters[safe: index] else { return nil }
            var quantifier: Quantifier
            switch first {
            case "*": quantifier = Quantifier(min: 0, max: nil, length: 1, possessive: false)
            case "+": quantifier = Quantifier(min: 1, max: nil, length: 1, possessive: false)
            case "?": quantifier = Quantifier(min: 0, max: 1, length: 1, possessive: false)
            case "{":
                guard let close = characters[index...].firstIndex(of: "}") else { return nil }
                let body = String(characters[(index + 1)..<close])
                let parts = body.split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
                      let low = parts[0].isEmpty ? 0 : Int(parts[0]) else { return nil }
                let high: Int? = parts.count == 1 ? low : (parts[1].isEmpty ? nil : Int(parts[1]))
                quantifier = Quantifier(min: low, max: high, length: close - index + 1, possessive: false)
            default:
                return nil
            }
            switch characters[safe: index + quantifier.length] {
            case "+": quantifier.possessive = true; quantifier.length += 1
            case "?": quantifier.length += 1   // lazy: backtracks all the same
            default: break
            }
            return quantifier
        }
    }

    /// The index after an escape such as `\d`, `\x{263a}` or `\p{L}`.
    private static func escapeEnd(_ characters: [Character], _ index: Int) -> Int {
        let next = index + 1
        guard next < characters.count else { return next }
        if "xpPoNg".contains(characters[next]), characters[safe: next + 1] == "{",
           let close = characters[(next + 1)...].firstIndex(of: "}") {
            return close + 1
        }
        return next + 1
    }

    /// The index after a character class `[...]`, where `]` first in the class is literal.
    private static func classEnd(_ characters: [Character], _ index: Int) -> Int {
        var position = index + 1
        if characters[safe: position] == "^" { position += 1 }
        if characters[safe: position] == "]" { position += 1 }
        while position < characters.count {
            switch characters[position] {
            case "\\": position += 2
            case "[" where characters[safe: position + 1] == ":":
                position = (characters[(position + 2)...].firstIndex(of: "]") ?? position) + 1
            case "]": return position + 1
            default: position += 1
            }
        }
        return characters.count
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
