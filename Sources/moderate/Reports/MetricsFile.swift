import Foundation
import ModerateCore
import Prometheus

/// One value of a metrics file: a gauge, with its labels.
struct MetricSample {
    /// A Prometheus metric name (`moderate_run_duration_seconds`): letters, digits, `_`, `:`.
    var name: String
    /// The `# HELP` text; every sample of one name must have the same.
    var help: String
    var labels: [(String, String)] = []
    var value: Double
}

/// A Prometheus text-format file for node_exporter's textfile collector (`--metrics FILE` on
/// `run`; meant for `review` too). The text comes from swift-prometheus's registry (`# HELP`
/// and `# TYPE` once per name, names and labels made valid, values and escaping as the
/// exposition format wants); the file is replaced atomically (`AtomicFile`: a temporary file
/// in the same directory, then a rename), so the collector never reads half a file. The file
/// is owner-only like everything moderate writes: node_exporter must run as the same user or
/// be given it another way (README, "Monitoring").
///
///     try MetricsFile.write([MetricSample(name: "moderate_hold_backlog", help: "…", value: 12)],
///                           to: "/var/lib/node_exporter/textfile/moderate.prom")
enum MetricsFile {
    static func text(_ samples: [MetricSample]) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        for sample in samples {
            let descriptor = MetricNameDescriptor(metricName: sample.name, unitName: "", helpText: sample.help)
            if sample.labels.isEmpty {
                registry.makeGauge(descriptor: descriptor).set(sample.value)
            } else {
                registry.makeGauge(descriptor: descriptor, labels: sample.labels).set(sample.value)
            }
        }
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return bytes
    }

    static func write(_ samples: [MetricSample], to path: String) throws {
        try AtomicFile.replace(path, with: text(samples))
    }

    /// The value of an unlabelled sample in an existing metrics file (for a value carried over
    /// from the last run, such as the last success's time), or nil.
    static func value(of name: String, inFileAt path: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 1 << 20 else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, parts[0] == name { return Double(parts[1]) }
        }
        return nil
    }
}
