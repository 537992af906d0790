import Foundation
import ModerateCore

/// The one line `moderate run` prints at the end (cron mails it; monitoring reads `--summary-json`).
extension RunSummary {
    /// `24 comments from 1 file: 14 approve, 3 hold, 7 reject, 0 errors, 0 already queued; 0.01 s, 2400 comments/s`
    var line: String {
        let queues = Action.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
        let errorText = errors == 1 ? "1 error" : "\(errors) errors"
        let fileText = files == 1 ? "1 file" : "\(files) files"
        // Said only when it happened: a torn last line is normal for an export still being written.
        let left = unterminatedBytesLeft > 0 ? "; left \(unterminatedBytesLeft) bytes of an unterminated last line for the next run" : ""
        return "\(comments) comments from \(fileText): \(queues), \(errorText), \(alreadyQueued) already queued; "
            + String(format: "%.2f s, %.0f comments/s", elapsedSeconds, commentsPerSecond) + left + copiesText
    }

    /// Said only when copies were not all counted ahead: on standard input the first copies
    /// of a flood are not caught, and the reader of the line should know why.
    private var copiesText: String {
        switch copies {
        case .asTheyCome?: return "; copies counted as they came (standard input or a pipe cannot be read twice)"
        case .partlyAsTheyCome?: return "; copies partly counted as they came (standard input, a pipe, or more distinct texts than are counted ahead)"
        case .wholeInput?, nil: return ""
        }
    }
}
