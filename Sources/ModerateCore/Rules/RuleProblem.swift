/// Something wrong (or worth a look) in a rule file, at a precise place.
public struct RuleProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String
    /// The id of the lint check that found it (`shadowed-rule`), for warnings from `lint`.
    public var check: String?
    /// A setting that would let it be, when one exists: the engine names it, the CLI words it
    /// with its own flag (the engine knows no flags).
    public var remedy: Remedy?

    public enum Remedy: Sendable, Equatable {
        /// `RuleLoadOptions.allowFilesOutsideRules` would let this file be read.
        case allowFilesOutsideRules
    }

    public init(_ location: SourceLocation, _ severity: Severity = .error, _ message: String,
                check: String? = nil, remedy: Remedy? = nil) {
        self.location = location
        self.severity = severity
        self.message = message
        self.check = check
        self.remedy = remedy
    }

    /// `file:line:column: error: message`, the form compilers use, so editors can jump to it;
    /// a lint warning ends with its check's id, `[shadowed-rule]`.
    public var description: String {
        "\(location): \(severity.rawValue): \(message)" + (check.map { " [\($0)]" } ?? "")
    }
}

/// What loading a rules directory gave: the rule set, unless there was an error, and every
/// problem found (all of them, not only the first).
public struct RuleLoadResult: Sendable {
    public var ruleSet: RuleSet?
    public var problems: [RuleProblem]

    public var errors: [RuleProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [RuleProblem] { problems.filter { $0.severity == .warning } }
}
