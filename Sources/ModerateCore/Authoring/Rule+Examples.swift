import PCRE2

extension Rule {
    /// An example as the rule sees it: examples are written as people write comments, so
    /// for a rule that only looks at normalised views they are normalised first.
    public func exampleSubject(_ example: String) -> String {
        let normalizedOnly = !fields.isEmpty && fields.allSatisfy {
            if case .normalized = $0 { return true } else { return false }
        }
        return normalizedOnly ? TextNormalizer.normalize(example).text : example
    }
}
