import ArgumentParser
import ModerateCore

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile and check every rule; report every error and warning at once.",
        discussion: """
            Nothing is moderated. Besides errors, it warns about duplicate and shadowed rules, patterns \
            that match the empty string, nested quantifiers that can backtrack catastrophically, keywords \
            that fire inside common words, and rules that can never run. Exits 2 if any rule has an \
            error, 0 otherwise (warnings alone exit 0).
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let result = RuleLoader.load(directory: ruleOptions.rules)
        // The deeper checks need compiled rules, so they run only when there is no error.
        let lintWarnings = result.ruleSet.map { RuleLinter(ruleSet: $0).warnings() } ?? []
        for problem in result.problems + lintWarnings { print(problem.description) }
        let errors = result.errors.count
        let warnings = result.warnings.count + lintWarnings.count
        if let ruleSet = result.ruleSet {
            let stageList = ruleSet.stages.map { "\($0.name) (\($0.rules.count))" }.joined(separator: ", ")
            print("\(ruleOptions.rules): \(ruleSet.rules.count) rules in stages \(stageList); "
                  + "\(warnings) warning(s); rule set \(ruleSet.fingerprint)")
        } else {
            print("\(ruleOptions.rules): \(errors) error(s), \(warnings) warning(s)")
            throw Exit.ruleErrors
        }
    }
}
