// The hot path of `moderate run`, one step at a time (README, "Microbenchmarks: `Benchmarks/`").
//
// Inputs are the repository's own: the default rules of rules/ (with the learned model) and
// the comments of fixtures/film-blog.jsonl and fixtures/obfuscated-spam.jsonl (ordinary
// comments and disguised spam), and fixtures/wordpress-export.xml for WXR. One iteration is
// `passes` passes over them, sized so that an iteration takes about 0.1 s on a quiet machine:
// Linux counts a process's CPU time in 10 ms ticks, so `cpuTotal` needs iterations that long.
// The README's table divides by the comments (or texts, or records) of an iteration.
//
// The repository is found from this file's path, or from MODERATE_ROOT if set.
import Benchmark
import Foundation
import ModerateCore
import PCRE2

/// The moderate checkout these benchmarks measure.
let repositoryRoot: String = {
    if let root = ProcessInfo.processInfo.environment["MODERATE_ROOT"], !root.isEmpty { return root }
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }   // Benchmarks/Benchmarks/HotPathBenchmarks/HotPathBenchmarks.swift
    return url.path
}()

/// Everything a benchmark needs, loaded once, before any measurement.
final class Inputs: @unchecked Sendable {
    let ruleSet: RuleSet
    let lines: [[UInt8]]
    let inputs: [InputComment]
    let wxrPath: String

    init() {
        let loaded = RuleLoader.load(directory: repositoryRoot + "/rules")
        guard let ruleSet = loaded.ruleSet else {
            fatalError("rules/ did not load: \(loaded.errors.map(\.description))")
        }
        self.ruleSet = ruleSet
        var lines: [[UInt8]] = []
        for name in ["film-blog.jsonl", "obfuscated-spam.jsonl"] {
            guard let data = FileManager.default.contents(atPath: repositoryRoot + "/fixtures/" + name) else {
                fatalError("cannot read fixtures/\(name) under \(repositoryRoot) (set MODERATE_ROOT)")
            }
            lines += data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        }
        self.lines = lines
        inputs = lines.enumerated().compactMap { index, line in
            try? JSONLineDecoder.decode(line, source: "bench", lineNumber: index + 1).get()
        }
        precondition(inputs.count == lines.count, "every fixture line is a comment")
        wxrPath = repositoryRoot + "/fixtures/wordpress-export.xml"
    }
}

let benchmarks: @Sendable () -> Void = {
    let inputs = Inputs()
    let ruleSet = inputs.ruleSet
    let comments = inputs.inputs.map(\.comment)

    // Times drift by tens of percent on a shared machine; allocation counts do not.
    let time = BenchmarkThresholds(relative: [.p90: 50.0])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 1_000,
        thresholds: [
            .wallClock: time,
            .cpuTotal: time,
            .throughput: time,
            .mallocCountTotal: BenchmarkThresholds(relative: [.p90: 2.0]),
        ]
    )

    Benchmark("Prepare") { benchmark in
        let session = MatchSession(limits: ruleSet.limits)
        benchmark.startMeasurement()
        for _ in 0..<100 {
            for comment in comments { blackHole(HotPath.prepare(comment, for: ruleSet, session: session)) }
        }
    }

    Benchmark("PrefilterScan") { benchmark in
        let session = MatchSession(limits: ruleSet.limits)
        let fields = HotPath.viewFields(of: ruleSet)
        let texts = comments.flatMap { comment in
            let prepared = HotPath.prepare(comment, for: ruleSet, session: session)
            return fields.compactMap { HotPath.text(of: $0, in: prepared, session: session) }
        }
        let scan = HotPath.PrefilterScan(prefilter: RulePrefilter(rules: ruleSet.rules))
        benchmark.startMeasurement()
        for _ in 0..<1_000 {
            for text in texts { blackHole(scan.scan(text)) }
        }
    }

    Benchmark("Match") { benchmark in
        let session = MatchSession(limits: ruleSet.limits)
        let matcher = HotPath.Matcher(ruleSet: ruleSet)
        let prepared = comments.map { HotPath.prepare($0, for: ruleSet, session: session) }
        for comment in prepared { blackHole(matcher.match(comment)) }   // the prefilter's scans, done once
        benchmark.startMeasurement()
        for _ in 0..<100 {
            for comment in prepared { blackHole(matcher.match(comment)) }
        }
    }

    Benchmark("Decide") { benchmark in
        let session = MatchSession(limits: ruleSet.limits)
        let decider = Decider(ruleSet: ruleSet)
        let prepared = comments.map { HotPath.prepare($0, for: ruleSet, session: session) }
        for comment in prepared { blackHole(decider.decide(comment)) }
        benchmark.startMeasurement()
        for _ in 0..<100 {
            for comment in prepared { blackHole(decider.decide(comment)) }
        }
    }

    Benchmark("PrepareAndDecide") { benchmark in
        let decider = Decider(ruleSet: ruleSet)
        benchmark.startMeasurement()
        for _ in 0..<50 {
            for comment in comments { blackHole(decider.decide(comment)) }
        }
    }

    Benchmark("EncodeQueueLine") { benchmark in
        let decider = Decider(ruleSet: ruleSet)
        let decided = inputs.inputs.map { ($0, decider.decide($0.comment)) }
        benchmark.startMeasurement()
        for _ in 0..<500 {
            for (input, moderation) in decided { blackHole(QueueRecord.encode(input, moderation)) }
        }
    }

    Benchmark("ReadJSONLine") { benchmark in
        for _ in 0..<2_000 {
            for (index, line) in inputs.lines.enumerated() {
                blackHole(JSONLineDecoder.decode(line, source: "bench", lineNumber: index + 1))
            }
        }
    }

    Benchmark("ReadWXRRecords") { benchmark in
        for _ in 0..<500 {
            let reader = try CommentReaders.open(InputSource(path: inputs.wxrPath), format: .wxr)
            while let item = try reader.next() { blackHole(item) }
        }
    }
}
