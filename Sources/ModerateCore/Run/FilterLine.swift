import Foundation

/// The lines `moderate filter` writes to standard output: one per input record, in input
/// order. A comment's line is its queue record (`QueueRecord`: the original JSON with its
/// `moderation` added), so a filter's output split by `moderation.decision` is what `run`
/// would have put in each queue. A record that is not a comment is a line whose
/// `moderation.decision` is `error`, with where it was, why, and its raw text.
///
/// The lines are meant for other programs (Hadoop Streaming, Spark's pipe, `parallel
/// --pipe`): they hold no raw tab (Hadoop Streaming cuts a line into key and value at its first
/// tab) and nothing that would differ between two runs over the same input, such as a time.
public enum FilterLine {
    /// How the batch signals of a comment (copies, bursts) were counted, written to its
    /// `moderation` as `batch_signals` when the rules use them.
    public enum SignalScope: String, Sendable {
        /// Counted over this process's own input only (one partition of a larger job).
        case thisInput = "counted within this input"
        /// Given by each record (`moderate_batch`), counted outside over the whole input.
        case givenByInput = "given by the input"
    }

    public static func encode(_ input: InputComment, _ moderation: Moderation, signals: SignalScope?) -> [UInt8] {
        var line = QueueRecord.encode(input, moderation)
        if let signals {
            // `moderation` is the record's last field: its closing `}}\n` is the last three bytes.
            var extra = JSONWriter(capacity: 64)
            extra.appendRaw(",".utf8)
            extra.field("batch_signals", signals.rawValue)
            line.replaceSubrange((line.count - 3)..<(line.count - 2), with: extra.bytes + [UInt8(ascii: "}")])
        }
        return withoutRawTabs(line)
    }

    public static func encode(_ error: InputError) -> [UInt8] {
        var writer = JSONWriter(capacity: error.raw.count + 200)
        writer.beginObject()
        if let text = String(validating: error.raw, as: UTF8.self) {
            writer.field("raw", text)
        } else {
            writer.field("raw", String(decoding: error.raw, as: UTF8.self))
            writer.field("raw_base64", Data(error.raw).base64EncodedString())
        }
        writer.key("moderation")
        writer.beginObject()
        writer.field("decision", "error")
        writer.field("reason", error.reason)
        writer.field("source", error.source)
        writer.field("line", error.line)
        writer.endObject()
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    /// The line with every raw tab byte replaced: a tab between JSON tokens (white space)
    /// becomes a space, one inside a string (which strict JSON forbids, but which a lenient
    /// reader kept) becomes `\t`. The JSON means the same afterwards.
    static func withoutRawTabs(_ line: [UInt8]) -> [UInt8] {
        guard line.contains(0x09) else { return line }
        var result: [UInt8] = []
        result.reserveCapacity(line.count + 8)
        var inString = false
        var escaped = false
        for byte in line {
            if byte == 0x09 {
                result.append(contentsOf: inString ? [UInt8(ascii: "\\"), UInt8(ascii: "t")] : [0x20])
                escaped = false
                continue
            }
            result.append(byte)
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            }
        }
        return result
    }
}
