import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// How a command ends. Each outcome's exit code, its `status` in `--summary-json` and its
/// meaning in `moderate --help` are written here once; the README's table says the same.
enum Outcome: CaseIterable {
    case ok
    /// Done, but some input was not a comment (it is in errors.jsonl).
    case badInput
    /// `moderate test`: an example or a case failed.
    case testFailures
    /// `decide`, `review`: a decision was refused (not held, or someone else decided it).
    case decisionRefused
    case ruleErrors
    case usage
    case noInput
    case ioError
    case locked
    /// `run` was stopped by SIGTERM or SIGINT: what it read is queued, a rerun goes on.
    case interrupted

    var exitCode: ExitCode {
        switch self {
        case .ok: return .success
        case .badInput, .testFailures, .decisionRefused: return ExitCode(1)
        case .ruleErrors: return ExitCode(2)
        case .usage: return .validationFailure   // 64, as sysexits' EX_USAGE
        case .noInput: return ExitCode(66)
        case .ioError: return ExitCode(74)
        case .locked: return ExitCode(75)
        // The process ends by the signal itself; a shell shows 128 + its number (SIGINT: 130).
        case .interrupted: return ExitCode(128 + SIGTERM)
        }
    }

    /// The `status` of `--summary-json` (nil for outcomes `run` never has).
    var status: String? {
        switch self {
        case .ok: return "ok"
        case .badInput: return "bad_input"
        case .ruleErrors: return "rule_errors"
        case .noInput: return "input_missing"
        case .ioError: return "io_error"
        case .locked: return "locked"
        case .interrupted: return "interrupted"
        case .testFailures, .decisionRefused, .usage: return nil
        }
    }

    var meaning: String {
        switch self {
        case .ok: return "success"
        case .badInput: return "some input was not a comment (see errors.jsonl)"
        case .testFailures: return "(test) an example or case failed"
        case .decisionRefused: return "(decide) a decision was refused: not held, or decided by someone else"
        case .ruleErrors: return "the rules have errors"
        case .usage: return "usage error"
        case .noInput: return "an input cannot be opened"
        case .ioError: return "a queue file cannot be written"
        case .locked: return "another run holds the queue directory"
        case .interrupted: return "stopped by SIGTERM (130: SIGINT); what was read is queued"
        }
    }

    /// `Exit codes: 0 success; 1 …` for the help of the commands given (every outcome by default),
    /// outcomes with the same code joined by "or".
    static func helpText(_ outcomes: [Outcome] = allCases) -> String {
        var byCode: [(code: Int32, meanings: [String])] = []
        for outcome in outcomes {
            let code = outcome.exitCode.rawValue
            if let index = byCode.firstIndex(where: { $0.code == code }) {
                byCode[index].meanings.append(outcome.meaning)
            } else {
                byCode.append((code, [outcome.meaning]))
            }
        }
        return "Exit codes: " + byCode.map { "\($0.code) \($0.meanings.joined(separator: ", or "))" }.joined(separator: "; ") + "."
    }
}
