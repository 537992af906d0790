import Crypto

/// Works out, in input order, what only the batch can tell about a comment: copies of the
/// same text, bursts by one author, and whether the author is already known as good.
/// Copies are those of the whole input when they were counted ahead (`BodyCopyCounts`),
/// else those seen so far; bodies with too few letters are never copies.
///
/// Memory is fixed ahead (`RecentKeyTable`): a text or an author is remembered until at least
/// `rememberedKeys` other texts (or authors) have come since it last came; only copies or
/// bursts further apart in the input than that are no longer seen. Authors are kept by a
/// seeded 64-bit hash, not by their text: 24 bytes each rather than a string and an array.
final class BatchSignalTracker {
    private var bodyCounts: RecentKeyTable<Int>
    /// The copies of the whole input, when its files were counted ahead.
    private let wholeInputCopies: BodyCopyCounts?
    private var authorTimes: RecentKeyTable<AuthorTimes>
    private let burstWindow: Double
    private let knownAuthors: Set<RecordKey>
    /// False when only known authors matter: copies and bursts are then not counted.
    private let tracksBatch: Bool
    /// The window of both tables, in distinct keys: a dictionary of this many entries fills
    /// 2^17 slots (Swift's tables are at most 3/4 full), so the two tables of authors take
    /// 6 MiB and those of bodies 4 MiB.
    static let rememberedKeys = 98_304
    static let maximumTimesPerAuthor = 256

    /// A tracker for what the rule set uses, or nil when no rule uses batch signals or
    /// known authors: then nothing need be tracked.
    public static func needed(by ruleSet: RuleSet, knownAuthors: Set<RecordKey>,
                              wholeInputCopies: BodyCopyCounts? = nil) -> BatchSignalTracker? {
        guard ruleSet.usesBatchSignals || ruleSet.usesKnownAuthors else { return nil }
        return BatchSignalTracker(burstWindowSeconds: ruleSet.burstWindowSeconds, knownAuthors: knownAuthors,
                                  tracksBatch: ruleSet.usesBatchSignals, wholeInputCopies: wholeInputCopies)
    }

    /// `rememberedKeys` is smaller only in tests.
    public init(burstWindowSeconds: Double, knownAuthors: Set<RecordKey> = [], tracksBatch: Bool = true,
                wholeInputCopies: BodyCopyCounts? = nil, rememberedKeys: Int = BatchSignalTracker.rememberedKeys) {
        bodyCounts = RecentKeyTable(generationSize: tracksBatch ? rememberedKeys : 0)
        authorTimes = RecentKeyTable(generationSize: tracksBatch ? rememberedKeys : 0)
        burstWindow = burstWindowSeconds
        self.knownAuthors = knownAuthors
        self.tracksBatch = tracksBatch
        self.wholeInputCopies = wholeInputCopies
    }

    /// `given`: copies and bursts counted outside, over the whole input; they are used as
    /// they are, and nothing is counted here.
    public func observe(_ prepared: PreparedComment, given: BatchSignals? = nil) -> BatchSignals {
        let comment = prepared.comment
        var signals = BatchSignals()
        if let key = RecordKey.knownAuthor(of: comment) { signals.knownAuthor = knownAuthors.contains(key) }
        guard tracksBatch else { return signals }
        if let given {
            signals.sameBody = given.sameBody
            signals.authorBurst = given.authorBurst
            return signals
        }
        if let body = prepared.normalized(.body)?.text, let key = BodyCopyCounts.key(ofNormalizedBody: body) {
            let seen = bodyCounts.update(key, initial: 0) { count, _ in
                count += 1
                return count
            }
            // The larger of the two: a file that grew after it was counted, or stdin after
            // files, has copies the count ahead did not see.
            signals.sameBody = max(seen, wholeInputCopies?.copies(of: key) ?? 0)
        }
        let time = comment[.date].flatMap(CommentDate.seconds(from:))
        for key in Self.authorKeys(comment) {
            let burst = authorTimes.update(key, initial: AuthorTimes(time)) { times, isNew in
                if isNew { return 1 }
                let near = times.count(near: time, within: burstWindow)
                times.append(time, keeping: Self.maximumTimesPerAuthor)
                return near + 1
            }
            signals.authorBurst = max(signals.authorBurst, burst)
        }
        return signals
    }

    /// Name, e-mail and IP each identify a burst on their own: each is hashed with its kind.
    static func authorKeys(_ comment: Comment) -> [UInt64] {
        authorIdentities(comment).map { hash($0.kind, $0.text) }
    }

    /// What identifies an author, by kind (0 name, 1 e-mail, 2 IP): names and e-mails
    /// lowercased. `authorKeys` hashes them for this process; `moderate filter --batch-keys`
    /// hashes them stably, for an engine that counts across processes.
    static func authorIdentities(_ comment: Comment) -> [(kind: Int, text: String)] {
        var identities: [(kind: Int, text: String)] = []
        for (kind, field) in [(0, CommentField.author), (1, .authorEmail)] {
            if let value = comment[field]?.lowercased(), !value.isEmpty { identities.append((kind, value)) }
        }
        if let ip = comment[.ip], !ip.isEmpty { identities.append((2, ip)) }
        return identities
    }

    /// A hash seeded once per process (`Hasher`): nobody can pick two authors that collide.
    private static func hash(_ kind: Int, _ text: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(kind)
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}

/// The times of one author's last comments, in input order: the first inline, the rest (an
/// author with more than one comment) in an array. NaN stands for a comment without a date.
/// 16 bytes, so that a table slot is 24.
struct AuthorTimes {
    private var first: Double
    private var rest: [Double] = []

    init(_ time: Double?) { first = time ?? .nan }

    /// How many of the times are within `window` seconds of `time`; a comment without a date
    /// is close to every other one, since it cannot be shown not to be.
    func count(near time: Double?, within window: Double) -> Int {
        func near(_ other: Double) -> Bool {
            guard let time, !other.isNaN else { return true }
            return abs(time - other) <= window
        }
        return (near(first) ? 1 : 0) + rest.count(where: near)
    }

    /// Adds a time, forgetting the oldest past `limit`.
    mutating func append(_ time: Double?, keeping limit: Int) {
        rest.append(time ?? .nan)
        if rest.count + 1 > limit {
            first = rest.removeFirst()
        }
    }
}

/// Reads the dates exports write: `2014-11-07T13:12:45`, with fractions, `Z` or an offset,
/// or a space instead of the `T` (WordPress). Seconds since 1970, or nil.
enum CommentDate {
    static func seconds(from text: String) -> Double? {
        let scalars = Array(text.utf8)
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[start..<start + length] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), scalars.count >= 10, scalars[4] == 45, let month = number(5, 2), scalars[7] == 45,
              let day = number(8, 2), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = Double(daysSinceEpoch(year: year, month: month, day: day)) * 86_400
        guard scalars.count >= 19, scalars[10] == 84 || scalars[10] == 32,
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return seconds }
        seconds += Double(hour * 3600 + minute * 60 + second)
        // A zone offset such as +02:00 (fractions of a second do not matter here).
        if let sign = scalars[19...].firstIndex(where: { $0 == 43 || $0 == 45 }),
           let hours = number(sign + 1, 2), let minutes = number(sign + (scalars.count > sign + 3 && scalars[sign + 3] == 58 ? 4 : 3), 2) {
            let offset = Double(hours * 3600 + minutes * 60)
            seconds += scalars[sign] == 43 ? -offset : offset
        }
        return seconds
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
