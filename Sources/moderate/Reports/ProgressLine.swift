#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ModerateCore

/// The line `moderate` keeps redrawing on a terminal's stderr during a batch: comments done,
/// rate, and, when every input's size is known, how far through the bytes it is and the time
/// left. Nothing is written when stderr is not a terminal (cron, pipes, logs).
final class ProgressLine {
    private let readers: [CommentReader]
    /// Every input's size on disk, or nil when one is unknown (stdin, a pipe).
    private let sizes: [Int64]?
    private let started = ProgressLine.now()
    private var lastDrawn = 0.0
    private var items = 0
    private var drawn = false

    /// nil when stderr is not a terminal.
    init?(readers: [CommentReader]) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.readers = readers
        let sizes = readers.map { $0.file?.sizeOnDisk }
        self.sizes = sizes.contains(where: { $0 == nil }) ? nil : sizes.map { $0! }
    }

    /// Called after each comment or error; redraws at most four times a second.
    func update(_ summary: RunSummary, reader: CommentReader) {
        items += 1
        guard items & 63 == 0 else { return }
        let now = Self.now()
        guard now - lastDrawn >= 0.25 else { return }
        lastDrawn = now
        var fraction: Double?
        if let sizes, let index = readers.firstIndex(where: { $0 === reader }) {
            let total = sizes.reduce(0, +)
            let done = sizes[..<index].reduce(0, +) + (reader.file?.diskBytesRead ?? 0)
            if total > 0 { fraction = min(Double(done) / Double(total), 1) }
        }
        let text = Self.text(done: summary.comments + summary.errors, elapsed: now - started, fraction: fraction)
        draw("\r\u{1B}[K" + text)
        drawn = true
    }

    /// Clears the line so the summary is printed on a clean one.
    func finish() {
        if drawn { draw("\r\u{1B}[K") }
    }

    /// `moderate: 120000 comments, 30000/s, 42%, 1m 10s left`
    static func text(done: Int, elapsed: Double, fraction: Double?) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "moderate: \(done) comments, \(Int(rate.rounded()))/s"
        if let fraction {
            text += ", \(Int((fraction * 100).rounded(.down)))%"
            if fraction > 0.001 && fraction < 1 {
                text += ", " + duration(elapsed * (1 - fraction) / fraction) + " left"
            }
        }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m \(whole % 60)s" }
        return "\(whole / 3600)h \(whole % 3600 / 60)m"
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    private func draw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
    }
}
