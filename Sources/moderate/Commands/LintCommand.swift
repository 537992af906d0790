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

    @Flag(help: "Also list, for each rule, the literals a text must contain for it to run (its prefilter).")
    var literals = false

    func run() throws {
        let result = RuleLoader.load(directory: ruleOptions.rules, options: ruleOptions.access.loadOptions)
        // The deeper checks need compiled rules, so they run only when there is no error.
        let lintWarnings = result.ruleSet.map { RuleLinter(ruleSet: $0).warnings() } ?? []
        // Messages quote rule files (ids, patterns, PCRE2's messages about them) and paths: each
        // is printed as one terminal-safe line.
        for problem in result.problems + lintWarnings { print(problem.cliDescription.terminalSafe) }
        if literals, let ruleSet = result.ruleSet { printLiterals(ruleSet) }
        let errors = result.errors.count
        let warnings = result.warnings.count + lintWarnings.count
        if let ruleSet = result.ruleSet {
            let stageList = ruleSet.stages.map { "\($0.name) (\($0.rules.count))" }.joined(separator: ", ")
            print(("\(ruleOptions.rules): \(ruleSet.rules.count) rules in stages \(stageList); "
                  + "\(warnings) warning(s); rule set \(ruleSet.fingerprint)").terminalSafe)
        } else {
            print("\(ruleOptions.rules): \(errors) error(s), \(warnings) warning(s)".terminalSafe)
            throw Outcome.ruleErrors.exitCode
        }
    }

    /// `spam.casino: casino|poker` ... one line per rule; `always runs` when nothing is known.
    private func printLiterals(_ ruleSet: RuleSet) {
        for rule in ruleSet.rules where rule.regex != nil {
            let groups = rule.requiredLiterals.allOf.map { group in
                let shown = group.prefix(8).map { String(decoding: $0, as: UTF8.self).debugDescription }
                return shown.joined(separator: "|") + (group.count > 8 ? "|… (\(group.count) literals)" : "")
            }
            let required = rule.requiredLiterals
            let runs = [required.wordRun > 0 ? "a run of \(required.wordRun) word characters" : nil,
                        required.digitRun > 0 ? "a run of \(required.digitRun) digits" : nil].compactMap { $0 }
            let needs = groups + runs
            print(("\(rule.location): \(rule.id): " + (needs.isEmpty ? "always runs" : "needs " + needs.joined(separator: " and "))).terminalSafe)
        }
        print("\(RulePrefilter(rules: ruleSet.rules).gatedRuleCount) of \(ruleSet.rules.count) rules run only on texts with their literals")
    }
}
