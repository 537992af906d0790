import Foundation

/// The line written to a queue: the original comment, unchanged, with a `moderation` object
/// added as its last field (README, "Queue records").
public enum QueueRecord {
    public static func encode(_ input: InputComment, _ moderation: Moderation) -> [UInt8] {
        let original = input.originalJSON
        // The original is a JSON object: drop trailing white space and its closing brace,
        // then append the new field and close it again. Every original byte before it stays.
        var end = original.count
        while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(original[end - 1]) { end -= 1 }
        precondition(end > 0 && original[end - 1] == UInt8(ascii: "}"), "a decoded comment is a JSON object")
        // It is never empty: a comment has at least a body, so a comma always goes before the new field.
        var writer = JSONWriter(capacity: end + 768)
        writer.appendRaw(original[..<(end - 1)])
        writer.appendRaw(",\"moderation\":".utf8)
        writer.beginObject()
        write(moderation, repair: input.repair, idWasDerived: input.comment.idWasDerived, into: &writer)
        writer.endObject()
        writer.appendRaw([UInt8(ascii: "}"), 0x0A])
        return writer.bytes
    }

    static func write(_ moderation: Moderation, repair: String?, idWasDerived: Bool, into writer: inout JSONWriter) {
        writer.field("decision", moderation.decision.rawValue)
        writer.field("id", moderation.commentID)
        if idWasDerived { writer.key("id_derived"); writer.bool(true) }
        writer.field("stage", moderation.stage)
        writer.field("rule", moderation.rule)
        writer.field("reason", reasonText(moderation))
        writer.field("score", moderation.score)
        writer.key("fired")
        writer.beginArray()
        for fired in moderation.fired {
            writer.beginObject()
            writer.field("rule", fired.rule)
            writer.field("stage", fired.stage)
            if let action = fired.action { writer.field("action", action.rawValue) }
            writer.field("score", fired.score)
            writer.field("matches", fired.matchCount)
            writer.key("hits")
            writer.beginArray()
            for hit in fired.hits {
                writer.beginObject()
                writer.field("field", hit.field.description)
                writer.field("start", hit.start)
                writer.field("end", hit.end)
                writer.field("text", hit.text)
                if let normalized = hit.normalizedText { writer.field("normalized", normalized) }
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        if !moderation.problems.isEmpty {
            writer.key("problems")
            writer.beginArray()
            for problem in moderation.problems {
                writer.beginObject()
                writer.field("rule", problem.rule)
                writer.field("stage", problem.stage)
                writer.field("field", problem.field.description)
                writer.field("reason", problem.reason)
                writer.endObject()
            }
            writer.endArray()
        }
        if let learned = moderation.learned {
            // The probability and the clues that carried it, whether or not it reached a cut-off.
            writer.key("learned")
            writer.beginObject()
            writer.field("probability", (learned.probability * 10_000).rounded() / 10_000)
            writer.key("tokens")
            writer.beginArray()
            for clue in learned.clues.prefix(LearnedVerdict.maximumListed) {
                writer.beginObject()
                writer.field("token", clue.token)
                writer.field("probability", (clue.probability * 1000).rounded() / 1000)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.stringArray("stages_run", moderation.stagesRun)
        if let repair { writer.field("input_repaired", repair) }
        writer.field("rules", moderation.ruleSetFingerprint)
    }

    /// One sentence a person can read in the queue file.
    public static func reasonText(_ moderation: Moderation) -> String {
        let score = plainNumber(moderation.score)
        switch moderation.reason {
        case .action(let rule, let stage):
            return "rule \(rule) fired in stage \(stage) with action \(moderation.decision.rawValue)"
        case .score(let threshold):
            return "score \(score) reached the \(moderation.decision.rawValue) threshold \(plainNumber(threshold))"
        case .noRuleDecided:
            return "no rule decided and score \(score) is under the hold threshold"
        case .matchProblem(let rule, _):
            let why = moderation.problems.first?.reason ?? "match failed"
            return "rule \(rule) could not be checked (\(why)), so the comment is held, not approved"
        }
    }
}

/// The line written to errors.jsonl for input that could not be moderated: where it was,
/// why, and the raw text, so nothing is lost.
public enum ErrorRecord {
    public static func encode(_ error: InputError) -> [UInt8] {
        var writer = JSONWriter(capacity: error.raw.count + 200)
        writer.beginObject()
        writer.field("source", error.source)
        writer.field("line", error.line)
        writer.field("reason", error.reason)
        if let text = String(validating: error.raw, as: UTF8.self) {
            writer.field("raw", text)
        } else {
            // JSON cannot hold arbitrary bytes: keep a readable copy and the exact bytes.
            writer.field("raw", String(decoding: error.raw, as: UTF8.self))
            writer.field("raw_base64", Data(error.raw).base64EncodedString())
        }
        writer.endObject()
        return writer.bytes + [0x0A]
    }
}
