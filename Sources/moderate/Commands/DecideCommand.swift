import ArgumentParser
import Foundation
import ModerateCore

struct Decide: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve or reject held comments without a terminal (the decisions of `moderate review`, for scripts).",
        discussion: """
            Each decision is a line of QUEUE_DIR/decisions.jsonl and the comment's record appended \
            to approve.jsonl or reject.jsonl, written together through the journal. --from FILE has \
            one decision a line, `ID approve` or `ID reject` (or `ID,approve` as CSV; blank lines and \
            lines starting with # and a CSV header `id,decision` are skipped; - reads standard input). A bad line stops everything \
            before any decision is written. A comment that already has the same decision is left \
            as it is (a file can be applied again); one not in hold.jsonl, or decided otherwise by \
            someone, is refused and the others go on. \(Outcome.helpText([.ok, .decisionRefused, .usage, .noInput, .ioError]))
            """
    )

    @Option(name: .long, help: ArgumentHelp("The queue directory.", valueName: "dir"))
    var queues = "queues"

    @Option(name: .long, help: ArgumentHelp("Who decides (default: the account's user name).", valueName: "name"))
    var reviewer: String?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Held comments to approve.", valueName: "id"))
    var approve: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Held comments to reject.", valueName: "id"))
    var reject: [String] = []

    @Option(name: .long, help: ArgumentHelp("A file of decisions, `ID approve|reject` a line.", valueName: "file"))
    var from: String?

    func validate() throws {
        if from == nil && approve.isEmpty && reject.isEmpty {
            throw ValidationError("give --approve ID..., --reject ID..., or --from FILE.")
        }
        if let reviewer, reviewer.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reviewer needs a name.")
        }
        let both = Set(approve).intersection(reject)
        if let id = both.first { throw ValidationError("\(id.terminalSafe(maxCharacters: 80)) is both approved and rejected.") }
    }

    func run() throws {
        var decisions = approve.map { ($0, Action.approve) } + reject.map { ($0, Action.reject) }
        if let from { decisions += try readDecisionFile(from) }
        let recorder = DecisionRecorder(queueDirectory: queues, reviewer: reviewer ?? ReviewerName.default())
        var counts = (recorded: 0, unchanged: 0, refused: 0)
        for (id, target) in decisions {
            do {
                switch try recorder.decide(id: id, to: target) {
                case .recorded: counts.recorded += 1
                case .unchanged: counts.unchanged += 1
                }
            } catch let refusal as DecisionRefusal {
                counts.refused += 1
                printError("moderate: not \(DecisionRefusalMessage.past(target)): \(DecisionRefusalMessage.text(refusal))")
            } catch let locked as QueueLockedError {
                printError("moderate: \(locked.description)")
                throw Outcome.locked.exitCode
            } catch {
                printError("moderate: \(error)")
                throw Outcome.ioError.exitCode
            }
        }
        printError("moderate decide: \(counts.recorded) recorded, \(counts.unchanged) already so, \(counts.refused) refused (\(queues)/\(DecisionLog.fileName))")
        if counts.refused > 0 { throw Outcome.decisionRefused.exitCode }
    }

    /// Every line checked before anything is decided, so that a typo in line 200 does not
    /// leave the first 199 done and the rest not.
    private func readDecisionFile(_ path: String) throws -> [(String, Action)] {
        let data: Data?
        if path == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = FileManager.default.contents(atPath: path) }
        guard let data else {
            printError("moderate: cannot read \(path)")
            throw Outcome.noInput.exitCode
        }
        var decisions: [(String, Action)] = []
        var seen: [String: Action] = [:]
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") || (index == 0 && text.lowercased() == "id,decision") { continue }
            guard let parsed = DecisionFileLine(text) else {
                printError("moderate: \(path):\(index + 1): expected `ID approve` or `ID reject` (or `ID,decision`), got: \(text.terminalSafe(maxCharacters: 120)); nothing was decided")
                throw Outcome.usage.exitCode
            }
            if let earlier = seen[parsed.id], earlier != parsed.action {
                printError("moderate: \(path):\(index + 1): \(parsed.id.terminalSafe(maxCharacters: 80)) is decided both ways in the file; nothing was decided")
                throw Outcome.usage.exitCode
            }
            seen[parsed.id] = parsed.action
            decisions.append((parsed.id, parsed.action))
        }
        return decisions
    }
}

/// One line of a `decide --from` file: `ID approve`, `ID reject`, or CSV `ID,approve`.
struct DecisionFileLine {
    var id: String
    var action: Action

    init?(_ text: String) {
        let parts: [Substring]
        if let comma = text.lastIndex(of: ",") {
            parts = [text[..<comma], text[text.index(after: comma)...]]
        } else {
            parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        }
        guard parts.count == 2 else { return nil }
        let id = parts[0].trimmingCharacters(in: .whitespaces)
        let word = parts[1].trimmingCharacters(in: .whitespaces).lowercased()
        guard !id.isEmpty, let action = Action(rawValue: word), action != .hold else { return nil }
        self.id = id
        self.action = action
    }
}
