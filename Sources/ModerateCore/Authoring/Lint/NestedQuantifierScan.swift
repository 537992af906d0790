import Foundation

/// A heuristic scan of a pattern's text for a repeated group whose body also repeats without
/// bound, such as `(a+)+`, `(\w*)*` or `(.*a){3}`: shapes where PCRE2 can try exponentially
/// many ways to split a long text before failing. It reads the pattern's syntax only; it does
/// not prove that a flagged group backtracks (`(ab+)+` is in fact harmless) nor that an
/// unflagged one does not (overlapping alternatives like `(a|a)*` are not looked for).
/// A repeat of at most 2 (`{2}`) is not flagged: it squares the work at worst, which the
/// match limit bounds. Possessive quantifiers and atomic groups are taken as safe.
enum NestedQuantifierScan {
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
