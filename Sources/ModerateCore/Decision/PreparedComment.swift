import PCRE2

/// A comment with its derived views worked out on demand, once: normalised fields, links
/// and batch signals. One per comment, used on one thread.
public final class PreparedComment {
    public let comment: Comment
    public var signals: BatchSignals
    let linkPolicy: LinkPolicy
    /// The fields' texts by `CommentField.index`: rules look fields up once per rule.
    private let rawTexts: [String?]
    private var normalizedViews: [CommentField: NormalizedText] = [:]
    private var foundLinks: (body: [Link], authorURL: [Link])?
    /// What the prefilter found in each text, scanned the first time a rule with required
    /// literals looks at that text.
    private let scans = ScanResults()

    public init(_ comment: Comment, signals: BatchSignals = BatchSignals(), linkPolicy: LinkPolicy = LinkPolicy()) {
        self.comment = comment
        self.signals = signals
        self.linkPolicy = linkPolicy
        var texts = [String?](repeating: nil, count: CommentField.allCases.count)
        for (field, text) in comment.fields { texts[field.index] = text }
        rawTexts = texts
    }

    public func normalized(_ field: CommentField) -> NormalizedText? {
        if let cached = normalizedViews[field] { return cached }
        guard let text = comment[field] else { return nil }
        let view = TextNormalizer.normalize(text)
        normalizedViews[field] = view
        return view
    }

    /// Links in the body and in `author_url`, without those the link policy allows.
    public func links(session: MatchSession) -> (body: [Link], authorURL: [Link]) {
        if let foundLinks { return foundLinks }
        func find(_ field: CommentField) -> [Link] {
            guard let text = comment[field], !text.isEmpty else { return [] }
            // The rules' view of the field is the same text when it has no leetspeak to fold
            // (most comments): normalising costs more than anything else a comment needs.
            let view: NormalizedText
            if let ruleView = normalizedViews[field], !ruleView.foldedLeetspeak {
                view = ruleView
            } else {
                view = TextNormalizer.normalize(text, foldLeetspeak: false)
            }
            return LinkExtractor.links(in: view, original: text, session: session).filter { !linkPolicy.allows($0.host) }
        }
        let found = (find(.body), find(.authorURL))
        foundLinks = found
        return found
    }

    /// The text a rule matches for a field; `nil` when the comment does not have it.
    func text(of field: RuleField, session: MatchSession) -> String? {
        switch field {
        case .raw(let field): return rawTexts[field.index]
        case .normalized(let field): return normalized(field)?.text
        case .links:
            let (body, author) = links(session: session)
            return (body + author).map(\.url).joined(separator: "\n")
        case .domains:
            let (body, author) = links(session: session)
            var seen: Set<String> = []
            return (body + author).map(\.host).filter { seen.insert($0).inserted }.joined(separator: "\n")
        case .linkFlags:
            let (body, author) = links(session: session)
            var seen: Set<String> = []
            return (body + author).flatMap(\.flags).filter { seen.insert($0).inserted }.joined(separator: "\n")
        case .signal, .tokens:
            return nil
        }
    }

    /// Whether the rule at `ordinal` (in `RuleSet.rules`) may match `text`, the text of `field`.
    func mayMatch(ruleAt ordinal: Int, in field: RuleField, text: inout String, prefilter: RulePrefilter) -> Bool {
        guard let slot = field.ordinal else { return true }
        let words = prefilter.scanner.wordCount
        if scans.present == nil { scans.allocate(words: words) }
        let present = UnsafeMutableBufferPointer(start: scans.present! + slot * words, count: words)
        if scans.scanned.pointee & (1 << UInt64(slot)) == 0 {
            scans.scanned.pointee |= 1 << UInt64(slot)
            scans.runs[slot] = text.withUTF8 { prefilter.scanner.scan($0, into: present) }
        }
        return prefilter.mayMatch(ruleAt: ordinal, present: UnsafeBufferPointer(present), runs: scans.runs[slot])
    }

    func value(of signal: Signal, session: MatchSession) -> Int {
        switch signal {
        case .links: return links(session: session).body.count
        case .styledWords:
            guard let body = normalized(.body), body.plainWordCount > 0 else { return 0 }
            return body.styledWordCount
        case .styledCodes: return normalized(.body)?.styledCodeCount ?? 0
        case .sameBody: return signals.sameBody
        case .authorBurst: return signals.authorBurst
        }
    }
}

/// The prefilter's findings for one comment, per `RuleField.ordinal`: the groups present
/// (`wordCount` words each), the runs, and which texts were scanned. Kept in raw memory
/// because every rule of every comment reads it, and Swift's run-time exclusivity checks on
/// class properties would cost more than the reads.
private final class ScanResults {
    private(set) var present: UnsafeMutablePointer<UInt64>?
    let runs = UnsafeMutablePointer<CharacterRuns>.allocate(capacity: RuleField.ordinalCount)
    let scanned = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    init() { scanned.initialize(to: 0) }

    func allocate(words: Int) {
        let count = RuleField.ordinalCount * words
        present = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        present!.initialize(repeating: 0, count: count)
        runs.initialize(repeating: CharacterRuns(), count: RuleField.ordinalCount)
    }

    deinit {
        present?.deallocate()
        runs.deallocate()
        scanned.deallocate()
    }
}
