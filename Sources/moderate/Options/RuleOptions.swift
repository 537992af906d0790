import ArgumentParser
import ModerateCore

/// Where the rules live; shared by every command that reads rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The rules directory: pipeline.yaml and rule files.", valueName: "dir"))
    var rules = "rules"

    @OptionGroup var access: RuleFileAccess
}

/// What a rules directory may read besides its own files; its own group so that `diff`,
/// which names two rules directories its own way, offers the same flag.
struct RuleFileAccess: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Let list: and links.allowed_domains name files outside the rules directory (absolute paths, ../, links leading out), and rule files be links to files outside it.",
        discussion: "Off by default: anyone who can edit a rule file could otherwise make moderate read, and `lint --literals` print, any file it can read."))
    var allowFilesOutsideRules = false

    var loadOptions: RuleLoadOptions { RuleLoadOptions(allowFilesOutsideRules: allowFilesOutsideRules) }
}
