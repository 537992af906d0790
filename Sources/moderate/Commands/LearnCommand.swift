import ArgumentParser
import Foundation
import ModerateCore

struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the learned stage's model from labelled comments and from people's decisions.",
        discussion: """
            By default the model pipeline.yaml names (learned.model) is updated; if the pipeline \
            has none, the rules directory gets learned.model and pipeline.yaml a learned: section. \
            Learning is incremental, and a comment learned before (by id) with the same label \
            changes nothing; with the other label it is moved. --label as in eval: FIELD (spam is \
            1, true, yes or spam) or FIELD=VALUE; --label wp_approved learns spam and trash as \
            spam, approved (1) as ham, and pending as nothing. `learn --decisions QUEUE_DIR` learns \
            people's approve and reject decisions from QUEUE_DIR/decisions.jsonl. Moderate's own \
            decisions are never learned.
            """
    )

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .long, help: ArgumentHelp("The label field, and optionally its spam value.", valueName: "field[=spam]"))
    var label: String?

    @Flag(name: .long, help: "The inputs are queue directories: learn people's approve and reject decisions from their decisions.jsonl.")
    var decisions = false

    @Option(name: .long, help: ArgumentHelp("The model file to update or create, instead of the one pipeline.yaml names.", valueName: "file"))
    var model: String?

    @Flag(name: .long, help: "Start the model from nothing: what it learned before is dropped (its token kinds are kept, unless --tokens). To retrain on a whole history.")
    var fresh = false

    @Option(name: .long, help: ArgumentHelp("For a new model only (or with --fresh): the token kinds (\(TokenKinds.names.joined(separator: ","))).", valueName: "kinds"))
    var tokens: String?

    @OptionGroup var input: InputOptions

    func validate() throws {
        if let label, LabelSpec(argument: label) == nil {
            throw ValidationError("--label needs a field name, as in --label label or --label disqus_is_spam=true.")
        }
        if decisions == (label != nil) {
            throw ValidationError("give either --label FIELD[=SPAM] and exports, or --decisions and queue directories.")
        }
        if let tokens, TokenKinds(tokens) == nil {
            throw ValidationError("--tokens: a comma-separated list of \(TokenKinds.names.joined(separator: ", ")).")
        }
    }

    func run() throws {
        let rulesDirectory = ruleOptions.rules
        let ruleSet = try loadRulesOrExit(rulesDirectory, ruleOptions.access.loadOptions)
        var target = try modelTarget(ruleSet)
        if fresh {
            // The rules loaded with the old model; only the counts are started again.
            target.model = TokenModel(tokenKinds: tokens.flatMap(TokenKinds.init) ?? target.model.tokenKinds)
        } else if let tokens, let kinds = TokenKinds(tokens), target.model.tokenKinds != kinds, target.existed {
            printError("moderate: \(target.path) was trained with tokens \(target.model.tokenKinds); --tokens applies only to a new model")
            throw Outcome.usage.exitCode
        }
        let learner = Learner(model: target.model, linkPolicy: ruleSet.linkPolicy, limits: ruleSet.limits)
        var errors = 0
        if !decisions, let label, let spec = LabelSpec(argument: label) {
            for reader in try input.openReaders() {
                while let item = try reader.next() {
                    switch item {
                    case .comment(let input): learner.learn(input.comment, isSpam: spec.isSpam(input))
                    case .error(let error): errors += 1; reportNotAComment(error)
                    }
                }
            }
        }
        for queueDirectory in decisions ? input.inputs : [] {
            let loaded: (decisions: ModeratorDecisions, comments: [(Comment, Bool)], missing: [String])
            do {
                loaded = try ModeratorDecisions.load(queueDirectory: queueDirectory)
            } catch {
                printError("moderate: cannot read \(queueDirectory)/\(ModeratorDecisions.fileName): \(error.localizedDescription)")
                throw Outcome.noInput.exitCode
            }
            for (line, reason) in loaded.decisions.refused {
                printError("\(queueDirectory)/\(ModeratorDecisions.fileName):\(line): not learned: \(reason)")
            }
            for id in loaded.missing.prefix(10) {
                printError("moderate: decided comment \(id.terminalSafe(maxCharacters: 80)) is in no queue file of \(queueDirectory); not learned")
            }
            for (comment, isSpam) in loaded.comments { learner.learn(comment, isSpam: isSpam) }
            errors += loaded.decisions.refused.count
        }
        try write(target, named: target.addToPipeline ? rulesDirectory : nil)
        let tally = learner.tally
        print("learned \(tally.spam) spam and \(tally.ham) ham comment(s) (\(tally.relabelled) relabelled, \(tally.unchanged) already learned, \(tally.unlabelled) without a label); "
              + "\(target.path): \(target.model.spamComments) spam, \(target.model.hamComments) ham, \(target.model.counts.count) tokens")
        if errors > 0 { throw Outcome.badInput.exitCode }
    }

    struct Target {
        var model: TokenModel
        var path: String
        var existed: Bool
        /// The pipeline has no learned stage yet: name the new model there.
        var addToPipeline: Bool
    }

    private func modelTarget(_ ruleSet: RuleSet) throws -> Target {
        let kinds = tokens.flatMap(TokenKinds.init) ?? .standard
        if let model {
            guard FileManager.default.fileExists(atPath: model) else {
                return Target(model: TokenModel(tokenKinds: kinds), path: model, existed: false, addToPipeline: false)
            }
            do {
                let text = try String(contentsOfFile: model, encoding: .utf8)
                return Target(model: try TokenModel.parse(text), path: model, existed: true, addToPipeline: false)
            } catch let error as TokenModel.FileError {
                printError("moderate: \(model) is not a usable model: \(error.description)")
                throw Outcome.ruleErrors.exitCode
            } catch {
                printError("moderate: cannot read \(model): \(error.localizedDescription)")
                throw Outcome.noInput.exitCode
            }
        }
        if let stage = ruleSet.learnedStage {
            let path = (stage.modelPath as NSString).isAbsolutePath ? stage.modelPath
                : (ruleOptions.rules as NSString).appendingPathComponent(stage.modelPath)
            return Target(model: stage.model, path: path, existed: true, addToPipeline: false)
        }
        let path = (ruleOptions.rules as NSString).appendingPathComponent(Self.defaultModelName)
        if FileManager.default.fileExists(atPath: path) {
            printError("moderate: \(path) exists but pipeline.yaml names no model; add 'learned: {model: \(Self.defaultModelName)}' to it, or give --model")
            throw Outcome.usage.exitCode
        }
        return Target(model: TokenModel(tokenKinds: kinds), path: path, existed: false, addToPipeline: true)
    }

    static let defaultModelName = "learned.model"

    /// Writes the model (through a temporary file and a rename, so a reader never sees half
    /// of it), only when its bytes changed; then names it in pipeline.yaml if it is new there.
    private func write(_ target: Target, named rulesDirectory: String?) throws {
        let bytes = Data(target.model.serialized())
        do {
            if (try? Data(contentsOf: URL(fileURLWithPath: target.path))) != bytes {
                let temporary = target.path + ".tmp"
                try bytes.write(to: URL(fileURLWithPath: temporary))
                if rename(temporary, target.path) != 0 { throw CocoaError(.fileWriteUnknown) }
            }
            if let rulesDirectory {
                let pipeline = (rulesDirectory as NSString).appendingPathComponent(RuleLoader.pipelineFileName)
                var text = try String(contentsOfFile: pipeline, encoding: .utf8)
                if !text.hasSuffix("\n") { text += "\n" }
                text += """
                    # The learned stage (README, "The learned stage"), added by `moderate learn`: it runs
                    # after the other stages, and its spam probability adds a score.
                    learned:
                      model: \(Self.defaultModelName)

                    """
                try text.write(toFile: pipeline, atomically: true, encoding: .utf8)
            }
        } catch {
            printError("moderate: cannot write \(target.path): \(error.localizedDescription)")
            throw Outcome.ioError.exitCode
        }
    }
}
