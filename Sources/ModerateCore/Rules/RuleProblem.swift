/// Something wrong (or worth a look) in a rule file, at a precise place.
public struct RuleProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(_ location: SourceLocation, _ severity: Severity = .error, _ message: String) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// `file:line:column: error: message`, the form compilers use, so editors can jump to it.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// What loading a rules directory gave: the rule set, unless there was an error, and every
/// problem found (all of them, not only the first).
public struct RuleLoadResult: Sendable {
    public var ruleSet: RuleSet?
    public var problems: [RuleProblem]

    public var errors: [RuleProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [RuleProblem] { problems.filter { $0.severity == .warning } }
}
