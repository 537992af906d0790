import ArgumentParser
import ModerateCore

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile and check every rule; report every error and warning at once.",
        discussion: "Nothing is moderated. Exits 2 if any rule has an error, 0 otherwise."
    )

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let result = RuleLoader.load(directory: ruleOptions.rules)
        for problem in result.problems { print(problem.description) }
        let errors = result.errors.count
        let warnings = result.warnings.count
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
