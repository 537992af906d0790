import ArgumentParser

/// The exit codes, documented in the README and in `moderate --help`.
enum Exit {
    static let badInput = ExitCode(1)
    /// `moderate test`: an example or a case failed.
    static let testFailures = ExitCode(1)
    static let ruleErrors = ExitCode(2)
    static let noInput = ExitCode(66)
    static let ioError = ExitCode(74)
    static let locked = ExitCode(75)
}
