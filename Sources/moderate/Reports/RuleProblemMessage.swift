import ModerateCore

extension RuleProblem {
    /// The problem as the CLI prints it: `file:line:column: error: message`, with the flag that
    /// would let it be (the engine names the setting, `remedy`; the flag is the CLI's word).
    var cliDescription: String {
        guard let remedy else { return description }
        var worded = self
        switch remedy {
        case .allowFilesOutsideRules: worded.message += "; pass --allow-files-outside-rules to read it anyway"
        }
        return worded.description
    }
}
