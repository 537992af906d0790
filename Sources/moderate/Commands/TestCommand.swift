import ArgumentParser
import ModerateCore

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every rule's examples and every case in the rules directory's cases/ folder.",
        discussion: """
            Each failure is printed as file:line:column: fail: message. Exits 1 if any example \
            or case fails, 2 if the rules (or a case file) have errors, 0 otherwise.
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let ruleSet = try loadRulesOrExit(ruleOptions.rules, ruleOptions.access.loadOptions)
        let (cases, problems) = TestCaseLoader.load(rulesDirectory: ruleOptions.rules)
        for problem in problems { printError(problem.cliDescription) }
        if problems.contains(where: { $0.severity == .error }) {
            printError("moderate: the case files have errors; nothing was tested")
            throw Outcome.ruleErrors.exitCode
        }
        let report = RuleTestRunner(ruleSet: ruleSet).run(cases: cases)
        // Failures quote examples and case texts from the rule files: one terminal-safe line each.
        for failure in report.failures { print(failure.description.terminalSafe) }
        let verdict = report.passed ? "all passed" : "\(report.failures.count) failed"
        print(("\(ruleOptions.rules): \(report.examplesRun) examples in \(ruleSet.rules.count) rules, "
              + "\(report.casesRun) cases: \(verdict)").terminalSafe)
        if !report.passed { throw Outcome.testFailures.exitCode }
    }
}
