import Foundation
import Yams

/// One YAML file being read, with what is needed to point at any place in it.
/// Reading helpers record problems instead of stopping, so that every mistake in a file
/// is reported at once.
struct YAMLDocument {
    let path: String
    let text: String
    private(set) var problems: [RuleProblem] = []

    init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// The file's lines as Unicode scalars, for pointing into a scalar's value. Cut only when
    /// a pattern error is to be placed: most files never need them.
    private var lines: [[Unicode.Scalar]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    /// The file's root node, or nil (with the problem recorded) when it is not valid YAML.
    mutating func root() -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            problems.append(RuleProblem(location(ofYAMLError: error), .error, "invalid YAML: \(Self.problemText(error))"))
        } catch {
            problems.append(RuleProblem(SourceLocation(file: path, line: 1, column: 1), .error, "invalid YAML: \(error)"))
        }
        return nil
    }

    func location(of node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: path, line: 1, column: 1) }
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    mutating func error(_ node: Node?, _ message: String, remedy: RuleProblem.Remedy? = nil) {
        problems.append(RuleProblem(location(of: node), .error, message, remedy: remedy))
    }

    mutating func warning(_ node: Node?, _ message: String) {
        problems.append(RuleProblem(location(of: node), .warning, message))
    }

    mutating func report(_ problem: RuleProblem) { problems.append(problem) }

    // MARK: Reading typed values

    /// The pairs of a mapping, with unknown and repeated keys reported.
    mutating func mapping(_ node: Node, what: String, allowedKeys: Set<String>) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping of keys to values")
            return nil
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "\(what): keys must be plain words")
                continue
            }
            if !allowedKeys.contains(key) {
                let known = allowedKeys.sorted().joined(separator: ", ")
                error(keyNode, "\(what): unknown key '\(key)' (known keys: \(known))")
            } else if result[key] != nil {
                error(keyNode, "\(what): key '\(key)' is given twice")
            } else {
                result[key] = value
            }
        }
        return result
    }

    mutating func string(_ node: Node?, what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            error(node, "\(what) must be a single text value")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node?, what: String) -> Bool? {
        guard let node else { return nil }
        guard let value = node.bool, node.scalar != nil else {
            error(node, "\(what) must be true or false")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node?, what: String) -> Double? {
        guard let node else { return nil }
        guard node.scalar != nil, let value = node.float, value.isFinite else {
            error(node, "\(what) must be a number")
            return nil
        }
        return value
    }

    /// A list of texts; a single text is accepted as a list of one.
    mutating func strings(_ node: Node?, what: String) -> [(String, Node)]? {
        guard let node else { return nil }
        if node.scalar != nil, let single = node.string { return [(single, node)] }
        guard case .sequence(let sequence) = node else {
            error(node, "\(what) must be a list")
            return nil
        }
        var result: [(String, Node)] = []
        for item in sequence {
            if let text = string(item, what: "each entry of \(what)") { result.append((text, item)) }
        }
        return result
    }

    // MARK: Pointing into scalars

    /// The place in the file of the character `offset` (in Unicode scalars) of a scalar's
    /// value, so that a pattern error points at the character PCRE2 stopped at, whether the
    /// pattern is written plain, quoted or as a block.
    func location(ofOffset offset: Int, inScalar node: Node) -> SourceLocation {
        let lines = self.lines
        guard let scalar = node.scalar, let mark = node.mark, mark.line - 1 < lines.count else {
            return location(of: node)
        }
        let lineIndex = mark.line - 1
        let columnIndex = mark.column - 1
        switch scalar.style {
        case .plain, .any:
            return SourceLocation(file: path, line: mark.line, column: mark.column + offset)
        case .singleQuoted, .doubleQuoted:
            let line = lines[lineIndex]
            var index = columnIndex + 1  // after the opening quote
            var decoded = 0
            while decoded < offset && index < line.count {
                index += escapeWidth(in: line, at: index, style: scalar.style)
                decoded += 1
            }
            return SourceLocation(file: path, line: mark.line, column: index + 1)
        case .literal, .folded:
            // Block scalars start on the line after the `|` or `>` indicator.
            var remaining = offset
            var index = lineIndex + 1
            let indent = lines.dropFirst(index).first { !$0.isEmpty }?.prefix { $0 == " " }.count ?? 0
            while index < lines.count {
                let length = max(0, lines[index].count - indent)
                if remaining <= length {
                    return SourceLocation(file: path, line: index + 1, column: indent + remaining + 1)
                }
                remaining -= length + 1  // the line break
                index += 1
            }
            return location(of: node)
        }
    }

    /// How many source characters make one character of a quoted scalar's value.
    private func escapeWidth(in line: [Unicode.Scalar], at index: Int, style: Node.Scalar.Style) -> Int {
        let next = index + 1 < line.count ? line[index + 1] : nil
        if style == .singleQuoted {
            return line[index] == "'" && next == "'" ? 2 : 1
        }
        guard line[index] == "\\", let next else { return 1 }
        switch next {
        case "x": return 4
        case "u": return 6
        case "U": return 10
        default: return 2
        }
    }

    private func location(ofYAMLError error: YamlError) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: path, line: mark.line, column: mark.column)
        default:
            return SourceLocation(file: path, line: 1, column: 1)
        }
    }

    private static func problemText(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            if let context { return "\(problem) \(context.text)".trimmingCharacters(in: .whitespaces) }
            return problem
        default:
            return "\(error)"
        }
    }
}
