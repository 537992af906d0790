import Foundation
import PCRE2
import Yams

/// Reads a rules directory: `pipeline.yaml` (stage order, thresholds, limits) and every
/// other `.yaml`/`.yml` file below it (rules), except those under `cases/`.
/// Every problem in every file is collected; the rule set is returned only if none is an error.
public enum RuleLoader {
    public static let pipelineFileName = "pipeline.yaml"
    /// Folder reserved for test cases (comments with the decision they must get).
    public static let casesFolderName = "cases"

    public static func load(directory: String, options: RuleLoadOptions = RuleLoadOptions()) -> RuleLoadResult {
        let files = RuleFiles(directory: directory, options: options)
        var problems: [RuleProblem] = []

        let pipelinePath = (directory as NSString).appendingPathComponent(pipelineFileName)
        guard let pipelineText = files.read(pipelinePath, problems: &problems) else {
            return RuleLoadResult(ruleSet: nil, problems: problems)
        }
        var pipelineDocument = YAMLDocument(path: pipelinePath, text: pipelineText)
        let readList = { (writtenPath: String) in files.readList(writtenPath) }
        let pipeline = PipelineConfig.parse(&pipelineDocument, readList: readList)
        problems += pipelineDocument.problems

        var rulesByStage: [String: [Rule]] = [:]
        var firstDefinition: [String: SourceLocation] = [:]
        for path in files.ruleFilePaths(problems: &problems) {
            guard let text = files.read(path, problems: &problems) else { continue }
            var document = YAMLDocument(path: path, text: text)
            let parser = RuleFileParser(stages: pipeline?.stages ?? [], readList: readList)
            for rule in parser.parse(&document) {
                if let first = firstDefinition[rule.id] {
                    document.report(RuleProblem(rule.location, .error,
                                                "rule id '\(rule.id)' is already used at \(first)"))
                    continue
                }
                firstDefinition[rule.id] = rule.location
                rulesByStage[rule.stage, default: []].append(rule)
            }
            problems += document.problems
        }

        guard let pipeline, !problems.contains(where: { $0.severity == .error }) else {
            return RuleLoadResult(ruleSet: nil, problems: problems)
        }
        let stages = pipeline.stages.map {
            Stage(name: $0, rules: rulesByStage[$0] ?? [], learned: $0 == pipeline.learnedStageName ? pipeline.learned : nil)
        }
        let ruleSet = RuleSet(stages: stages, thresholds: pipeline.thresholds, limits: pipeline.limits,
                              linkPolicy: pipeline.linkPolicy, burstWindowSeconds: pipeline.burstWindowSeconds,
                              fingerprint: files.fingerprint())
        return RuleLoadResult(ruleSet: ruleSet, problems: problems)
    }
}

/// The pipeline file: which stages run, in what order, and the score thresholds.
struct PipelineConfig {
    var stages: [String]
    var thresholds: Thresholds
    var limits: MatchLimits
    var linkPolicy = LinkPolicy()
    var burstWindowSeconds = 600.0
    var learned: LearnedStage?
    /// The stage the learned stage runs in: `learned` if `stages` lists it (after its rules),
    /// otherwise it is added as the last stage.
    var learnedStageName = LearnedStage.defaultStageName

    static func parse(_ document: inout YAMLDocument,
                      readList: (String) -> Result<String, RuleFileRefusal>) -> PipelineConfig? {
        let problemsBefore = document.problems.count
        guard let root = document.root() else {
            // An empty file is valid YAML with no root; without a word here the rules would be
            // refused with no error named.
            if document.problems.count == problemsBefore {
                document.error(nil, "pipeline: the file is empty; 'stages' is required (the order stages run in)")
            }
            return nil
        }
        guard let keys = document.mapping(root, what: "pipeline",
                                          allowedKeys: ["stages", "thresholds", "limits", "links", "signals", "learned"]) else {
            return nil
        }
        var stages: [String] = []
        if let stageNodes = document.strings(keys["stages"], what: "stages") {
            for (name, node) in stageNodes {
                if stages.contains(name) {
                    document.error(node, "stage '\(name)' is listed twice")
                } else if name.isEmpty || name.contains(where: { $0.isWhitespace }) {
                    document.error(node, "a stage name must be one word")
                } else {
                    stages.append(name)
                }
            }
        }
        if keys["stages"] == nil { document.error(root, "pipeline: 'stages' is required (the order stages run in)") }

        var thresholds = Thresholds(hold: 3, reject: 7)
        if let node = keys["thresholds"],
           let values = document.mapping(node, what: "thresholds", allowedKeys: ["hold", "reject"]) {
            thresholds.hold = document.number(values["hold"], what: "thresholds.hold") ?? thresholds.hold
            thresholds.reject = document.number(values["reject"], what: "thresholds.reject") ?? thresholds.reject
            if thresholds.hold > thresholds.reject {
                document.error(node, "thresholds: hold (\(thresholds.hold)) must not be above reject (\(thresholds.reject))")
            }
        }

        var limits = MatchLimits.standard
        if let node = keys["limits"],
           let values = document.mapping(node, what: "limits", allowedKeys: ["match_limit", "comment_time_ms"]) {
            if let limit = document.number(values["match_limit"], what: "limits.match_limit") {
                if limit >= 1 && limit <= Double(UInt32.max) {
                    limits.matchLimit = UInt32(limit)
                } else {
                    document.error(values["match_limit"], "limits.match_limit must be between 1 and \(UInt32.max)")
                }
            }
            if let budget = document.number(values["comment_time_ms"], what: "limits.comment_time_ms") {
                if budget >= 1 && budget <= 3_600_000 {
                    limits.commentTimeMilliseconds = UInt32(budget)
                } else {
                    document.error(values["comment_time_ms"], "limits.comment_time_ms must be between 1 and 3600000")
                }
            }
        }
        var config = PipelineConfig(stages: stages, thresholds: thresholds, limits: limits)
        if let node = keys["links"], let values = document.mapping(node, what: "links", allowedKeys: ["allowed_domains"]),
           let path = document.string(values["allowed_domains"], what: "links.allowed_domains") {
            switch readList(path) {
            case .success(let text): config.linkPolicy = LinkPolicy(allowedDomains: PhraseList.phrases(in: text))
            case .failure(let refusal): document.error(values["allowed_domains"], "links.allowed_domains: \(refusal.message)", remedy: refusal.remedy)
            }
        }
        if let node = keys["signals"],
           let values = document.mapping(node, what: "signals", allowedKeys: ["burst_window_minutes"]),
           let minutes = document.number(values["burst_window_minutes"], what: "signals.burst_window_minutes") {
            if minutes > 0 { config.burstWindowSeconds = minutes * 60 } else {
                document.error(values["burst_window_minutes"], "signals.burst_window_minutes must be above 0")
            }
        }
        if let node = keys["learned"] {
            config.learned = parseLearned(node, &document, readList: readList)
            if config.learned != nil && !config.stages.contains(config.learnedStageName) {
                config.stages.append(config.learnedStageName)
            }
        }
        return config
    }

    /// `learned: {model: FILE, ham_cutoff:, spam_cutoff:, unsure_score:, spam_score:, spam_action: | spam_at_least:}`.
    static func parseLearned(_ node: Node, _ document: inout YAMLDocument,
                             readList: (String) -> Result<String, RuleFileRefusal>) -> LearnedStage? {
        guard let values = document.mapping(node, what: "learned",
                                            allowedKeys: ["model", "ham_cutoff", "spam_cutoff", "unsure_score", "spam_score",
                                                                          "min_strength", "max_clues", "spam_action", "spam_at_least"]) else {
            return nil
        }
        guard let path = document.string(values["model"], what: "learned.model") else {
            document.error(node, "learned: 'model' is required (the model file, relative to the rules directory)")
            return nil
        }
        let model: TokenModel
        switch readList(path) {
        case .failure(let refusal):
            document.error(values["model"], "learned.model: \(refusal.message)", remedy: refusal.remedy)
            return nil
        case .success(let text):
            do {
                model = try TokenModel.parse(text)
            } catch {
                document.error(values["model"], "learned.model: \(path) is not a usable model: \(error.description)")
                return nil
            }
        }
        var stage = LearnedStage(model: model, modelPath: path)
        func probability(_ key: String) -> Double? {
            guard let value = document.number(values[key], what: "learned.\(key)") else { return nil }
            guard value >= 0 && value <= 1 else {
                document.error(values[key], "learned.\(key) must be a probability, from 0 to 1")
                return nil
            }
            return value
        }
        stage.hamCutoff = probability("ham_cutoff") ?? stage.hamCutoff
        stage.spamCutoff = probability("spam_cutoff") ?? stage.spamCutoff
        stage.unsureScore = document.number(values["unsure_score"], what: "learned.unsure_score") ?? stage.unsureScore
        stage.spamScore = document.number(values["spam_score"], what: "learned.spam_score") ?? stage.spamScore
        if let strength = document.number(values["min_strength"], what: "learned.min_strength") {
            if strength >= 0 && strength < 0.5 { stage.minimumStrength = strength } else {
                document.error(values["min_strength"], "learned.min_strength must be from 0 to under 0.5")
            }
        }
        if let clues = document.number(values["max_clues"], what: "learned.max_clues") {
            if clues >= 1 && clues <= 10_000 && clues.rounded() == clues { stage.maximumClues = Int(clues) } else {
                document.error(values["max_clues"], "learned.max_clues must be a whole number from 1 to 10000")
            }
        }
        if let name = document.string(values["spam_action"], what: "learned.spam_action") {
            if let action = Action(rawValue: name) { stage.spamAction = action } else {
                document.error(values["spam_action"], "learned.spam_action must be approve, hold or reject, not '\(name)'")
            }
        }
        if let name = document.string(values["spam_at_least"], what: "learned.spam_at_least") {
            if let action = Action(rawValue: name) { stage.spamAtLeast = action } else {
                document.error(values["spam_at_least"], "learned.spam_at_least must be approve, hold or reject, not '\(name)'")
            }
            if stage.spamAction != nil {
                document.error(values["spam_at_least"],
                               "learned: give spam_action (an action that decides) or spam_at_least (a score with a floor), not both")
            }
        }
        if stage.hamCutoff > stage.spamCutoff {
            document.error(node, "learned: ham_cutoff (\(stage.hamCutoff)) must not be above spam_cutoff (\(stage.spamCutoff))")
        }
        return stage
    }
}
