import ArgumentParser
import Foundation
import ModerateCore

/// `--summary-json FILE`: the outcome of a run as one JSON object, written whatever the
/// outcome (replaced atomically, so a monitor never reads half a file); and `--metrics FILE`,
/// the same moment's Prometheus metrics (`RunMetrics`).
struct SummaryReport {
    let path: String?
    let queues: String
    var metricsPath: String? = nil
    let startedAt = Date()

    func write(_ outcome: Outcome, summary: RunSummary? = nil, fingerprint: String? = nil,
               message: String? = nil, signal: Int32? = nil) {
        if let metricsPath {
            let samples = RunMetrics.samples(outcome: outcome, summary: summary, queues: queues,
                                             previousFile: metricsPath, signal: signal)
            do { try MetricsFile.write(samples, to: metricsPath) } catch {
                printError("moderate: cannot write the metrics to \(metricsPath): \(error)")
            }
        }
        guard let path else { return }
        let formatter = ISO8601DateFormatter()
        var object: [String: Any] = [
            "status": outcome.status ?? "\(outcome)",
            // A run stopped by a signal ends by it; a shell shows 128 + its number.
            "exit_code": Int(signal.map { 128 + $0 } ?? outcome.exitCode.rawValue),
            "queues": queues,
            "started_at": formatter.string(from: startedAt),
            "finished_at": formatter.string(from: Date()),
        ]
        if let summary {
            object["comments"] = summary.comments
            for action in Action.allCases { object[action.rawValue] = summary.counts[action, default: 0] }
            object["errors"] = summary.errors
            object["already_queued"] = summary.alreadyQueued
            object["files"] = summary.files
            if let copies = summary.copies { object["copies_counted"] = copies.rawValue }
            if let seconds = summary.copyCountSeconds { object["copy_count_seconds"] = (seconds * 1000).rounded() / 1000 }
            object["unterminated_bytes_left"] = summary.unterminatedBytesLeft
            object["elapsed_seconds"] = (summary.elapsedSeconds * 1000).rounded() / 1000
            object["comments_per_second"] = summary.commentsPerSecond.rounded()
        }
        if let fingerprint { object["rules"] = fingerprint }
        if let message { object["message"] = message }
        if let signal { object["signal"] = StopSignals.name(of: signal) }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            printError("moderate: cannot write the summary to \(path): \(error.localizedDescription)")
        }
    }
}
