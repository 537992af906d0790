import Crypto

/// Works out, in input order, what only the batch can tell about a comment: copies of the
/// same text, bursts by one author, and whether the author is already known as good.
/// Copies are those of the whole input when they were counted ahead (`BodyCopyCounts`),
/// else those seen so far; bodies with too few letters are never copies.
/// Memory is bounded: past `maximumKeys` remembered texts or authors, all are
/// forgotten (a copy or burst that far apart in the input is no longer seen).
final class BatchSignalTracker {
    private var bodyCounts: [UInt64: Int] = [:]
    /// The copies of the whole input, when its files were counted ahead.
    private let wholeInputCopies: BodyCopyCounts?
    private var authorTimes: [String: [Double?]] = [:]
    private let burstWindow: Double
    private let knownAuthors: Set<RecordKey>
    /// False when only known authors matter: copies and bursts are then not counted.
    private let tracksBatch: Bool
    static let maximumKeys = 200_000
    static let maximumTimesPerAuthor = 256

    /// A tracker for what the rule set uses, or nil when no rule uses batch signals or
    /// known authors: then nothing need be tracked.
    public static func needed(by ruleSet: RuleSet, knownAuthors: Set<RecordKey>,
                              wholeInputCopies: BodyCopyCounts? = nil) -> BatchSignalTracker? {
        guard ruleSet.usesBatchSignals || ruleSet.usesKnownAuthors else { return nil }
        return BatchSignalTracker(burstWindowSeconds: ruleSet.burstWindowSeconds, knownAuthors: knownAuthors,
                                  tracksBatch: ruleSet.usesBatchSignals, wholeInputCopies: wholeInputCopies)
    }

    public init(burstWindowSeconds: Double, knownAuthors: Set<RecordKey> = [], tracksBatch: Bool = true,
                wholeInputCopies: BodyCopyCounts? = nil) {
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
            if bodyCounts.count >= Self.maximumKeys && bodyCounts[key] == nil { bodyCounts.removeAll(keepingCapacity: true) }
            bodyCounts[key, default: 0] += 1
            // The larger of the two: a file that grew after it was counted, or stdin after
            // files, has copies the count ahead did not see.
            signals.sameBody = max(bodyCounts[key]!, wholeInputCopies?.copies(of: key) ?? 0)
        }
        let time = comment[.date].flatMap(CommentDate.seconds(from:))
        for key in Self.authorKeys(comment) {
            if authorTimes.count >= Self.maximumKeys && authorTimes[key] == nil { authorTimes.removeAll(keepingCapacity: true) }
            var times = authorTimes[key, default: []]
            // A comment without a date is close to every other one: it cannot be shown not to be.
            let near = times.filter { other in
                guard let time, let other else { return true }
                return abs(time - other) <= burstWindow
            }.count
            signals.authorBurst = max(signals.authorBurst, near + 1)
            times.append(time)
            if times.count > Self.maximumTimesPerAuthor { times.removeFirst(times.count - Self.maximumTimesPerAuthor) }
            authorTimes[key] = times
        }
        return signals
    }

    /// Name, e-mail and IP each identify a burst on their own.
    static func authorKeys(_ comment: Comment) -> [String] {
        var keys: [String] = []
        if let name = comment[.author]?.lowercased(), !name.isEmpty { keys.append("name\u{0}" + name) }
        if let email = comment[.authorEmail]?.lowercased(), !email.isEmpty { keys.append("email\u{0}" + email) }
        if let ip = comment[.ip], !ip.isEmpty { keys.append("ip\u{0}" + ip) }
        return keys
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
