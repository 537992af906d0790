import Foundation
@testable import moderate
import Testing

/// A line of the Prometheus text format: `name{label="value",…} number`.
struct ExposedSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// Reads the Prometheus text format back: the samples, and the `# HELP` and `# TYPE` of each
/// name. Fails on any line that is neither.
func parseExposition(_ text: String) throws -> (samples: [ExposedSample], help: [String: String], type: [String: String]) {
    var samples: [ExposedSample] = [], help: [String: String] = [:], type: [String: String] = [:]
    let name = /[a-zA-Z_:][a-zA-Z0-9_:]*/
    for line in text.split(separator: "\n") {
        if let match = line.wholeMatch(of: /# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)/) {
            help[String(match.1)] = String(match.2)
        } else if let match = line.wholeMatch(of: /# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)/) {
            type[String(match.1)] = String(match.2)
        } else if let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)/) {
            var labels: [String: String] = [:]
            if let block = match.2 {
                for pair in block.dropFirst().dropLast().matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/) {
                    labels[String(pair.1)] = String(pair.2)
                }
            }
            let value = try #require(Double(match.3), "not a number: \(line)")
            samples.append(ExposedSample(name: String(match.1), labels: labels, value: value))
        } else {
            Issue.record("not a line of the text format: \(line)")
        }
    }
    _ = name
    return (samples, help, type)
}

@Suite struct MetricsFileTests {
    @Test func theTextParsesBackWithHelpAndTypeForEveryName() throws {
        let samples = [
            MetricSample(name: "moderate_run_comments", help: "Per queue.", labels: [("queue", "approve")], value: 11),
            MetricSample(name: "moderate_run_comments", help: "Per queue.", labels: [("queue", "hold")], value: 5),
            MetricSample(name: "moderate_hold_backlog", help: "Held, undecided.", value: 3),
            MetricSample(name: "moderate_run_duration_seconds", help: "Seconds.", value: 0.25),
        ]
        let parsed = try parseExposition(String(decoding: MetricsFile.text(samples), as: UTF8.self))
        #expect(parsed.samples.count == 4)
        #expect(parsed.samples.contains(ExposedSample(name: "moderate_run_comments", labels: ["queue": "hold"], value: 5)))
        #expect(parsed.samples.contains(ExposedSample(name: "moderate_run_duration_seconds", labels: [:], value: 0.25)))
        for name in Set(samples.map(\.name)) {
            #expect(parsed.type[name] == "gauge", "\(name)")
            #expect(parsed.help[name] == samples.first { $0.name == name }?.help)
        }
    }

    @Test func labelValuesAreEscapedAndBadNamesMadeValid() throws {
        let text = String(decoding: MetricsFile.text([
            MetricSample(name: "moderate-bad name", help: "x", labels: [("queue", "a\"b\\c\nd")], value: 1),
        ]), as: UTF8.self)
        let parsed = try parseExposition(text)
        #expect(parsed.samples.count == 1)
        #expect(parsed.samples.first?.labels["queue"] == #"a\"b\\c\nd"#)
    }

    @Test func aValueIsReadBackFromAnEarlierFile() throws {
        let path = try scratchDirectory().appendingPathComponent("m.prom").path
        try MetricsFile.write([MetricSample(name: "moderate_x", help: "x", value: 1796315187)], to: path)
        #expect(MetricsFile.value(of: "moderate_x", inFileAt: path) == 1796315187)
        #expect(MetricsFile.value(of: "moderate_y", inFileAt: path) == nil)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
    }
}
