import ArgumentParser
import Foundation
import ModerateCore

/// Loads the rules, or prints every error as file:line:column and exits with code 2.
func loadRulesOrExit(_ directory: String, _ options: RuleLoadOptions) throws -> RuleSet {
    let result = RuleLoader.load(directory: directory, options: options)
    guard let ruleSet = result.ruleSet else {
        for problem in result.errors { printError(problem.cliDescription) }
        printError("moderate: \(result.errors.count) rule error(s); nothing was moderated (run `moderate lint` for warnings too)")
        throw Outcome.ruleErrors.exitCode
    }
    return ruleSet
}
