import Foundation
import ModerateCore

/// The metrics of `moderate run --metrics FILE` (README, "Monitoring"): written at the end of
/// every run, whatever its outcome, like `--summary-json`.
enum RunMetrics {
    static let lastSuccessName = "moderate_run_last_success_timestamp_seconds"

    static func samples(outcome: Outcome, summary: RunSummary?, queues: String, previousFile: String?,
                        finishedAt: Date = Date(), signal: Int32? = nil) -> [MetricSample] {
        var samples: [MetricSample] = []
        if let summary {
            for action in Action.allCases {
                samples.append(MetricSample(name: "moderate_run_comments", help: "Comments the last run appended to each queue.",
                                            labels: [("queue", action.rawValue)], value: Double(summary.counts[action, default: 0])))
            }
            samples.append(MetricSample(name: "moderate_run_input_errors", help: "Records of the last run that were not comments (appended to errors.jsonl).",
                                        value: Double(summary.errors)))
            samples.append(MetricSample(name: "moderate_run_already_queued", help: "Comments of the last run skipped as already queued.",
                                        value: Double(summary.alreadyQueued)))
            samples.append(MetricSample(name: "moderate_run_duration_seconds", help: "How long the last run took.",
                                        value: (summary.elapsedSeconds * 1000).rounded() / 1000))
        }
        let succeeded = outcome == .ok || outcome == .badInput
        samples.append(MetricSample(name: "moderate_run_success", help: "1 if the last run finished (exit 0, or 1 for bad input kept in errors.jsonl), else 0.",
                                    value: succeeded ? 1 : 0))
        samples.append(MetricSample(name: "moderate_run_exit_code", help: "The exit status of the last run (128 + the signal if stopped by one).",
                                    value: Double(signal.map { 128 + $0 } ?? outcome.exitCode.rawValue)))
        samples.append(MetricSample(name: "moderate_run_finished_timestamp_seconds", help: "When the last run ended (Unix time).",
                                    value: finishedAt.timeIntervalSince1970.rounded()))
        // A failed run keeps the time of the last success, so an alert can say how long ago it was.
        let lastSuccess = succeeded ? finishedAt.timeIntervalSince1970.rounded()
            : previousFile.flatMap { MetricsFile.value(of: lastSuccessName, inFileAt: $0) }
        if let lastSuccess {
            samples.append(MetricSample(name: lastSuccessName, help: "When a run last finished successfully (Unix time).", value: lastSuccess))
        }
        // Read from hold.jsonl and decisions.jsonl, not counted by the run: the same definition as review's.
        if let backlog = try? QueueState.read(queueDirectory: queues, queues: [.hold]).heldBacklog {
            samples.append(MetricSample(name: "moderate_hold_backlog", help: "Held comments no person has decided yet.",
                                        value: Double(backlog)))
        }
        return samples
    }
}
