import ArgumentParser

/// Where the rules live; shared by every command that reads rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The rules directory: pipeline.yaml and rule files.", valueName: "dir"))
    var rules = "rules"
}
