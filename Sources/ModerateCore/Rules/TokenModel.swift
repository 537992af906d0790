import Crypto
import Foundation

/// What the learned stage knows: in how many spam and ham comments each token appeared, how
/// many comments of each it learned from, and which comments those were (so that learning
/// the same comment again changes nothing, and a corrected label moves it to the other side).
///
/// The file (README, "The model file") is text, one fact a line, sorted, so the same
/// comments give a byte-identical file whatever order they were learned in:
///
///     moderate-model 1
///     tokens words,bigrams,chars,structure
///     comments SPAM HAM
///     learned N
///     <16 hex digits of SHA-256 of the comment id> <s|h>     (N lines, sorted)
///     counts M
///     <spam count>\t<ham count>\t<token>                     (M lines, sorted by token bytes)
///
/// A file with a higher version than `TokenModel.version` is refused, never guessed at.
public final class TokenModel: @unchecked Sendable {
    /// The version this build writes and reads. Raise it when the meaning of a line changes.
    public static let version = 1
    static let magic = "moderate-model"

    public struct Counts: Sendable, Equatable {
        public var spam: UInt32
        public var ham: UInt32
    }

    /// Which kinds of token the model was trained on; deciding uses the same ones.
    public var tokenKinds: TokenKinds
    public private(set) var spamComments: Int = 0
    public private(set) var hamComments: Int = 0
    /// Token counts. Written only while learning, before the model is shared (hence
    /// `@unchecked Sendable`: a loaded model is never changed).
    public private(set) var counts: [String: Counts] = [:]
    /// Every comment learned, by `idKey`: true for spam.
    public private(set) var learned: [String: Bool] = [:]

    public init(tokenKinds: TokenKinds = .standard) {
        self.tokenKinds = tokenKinds
    }

    public subscript(token: String) -> Counts? { counts[token] }

    /// The key a comment id is remembered by: short, and it does not keep the ids themselves.
    public static func idKey(_ id: String) -> String {
        String(hexString(SHA256.hash(data: Array(id.utf8))).prefix(16))
    }

    public enum LearnOutcome: Sendable, Equatable {
        /// Learned for the first time.
        case learned
        /// Already learned with this label: nothing changed.
        case unchanged
        /// Learned before with the other label: moved to this one.
        case relabelled
    }

    /// Learns one comment's (unique) tokens as spam or ham.
    @discardableResult
    public func learn(id: String, tokens: Set<String>, isSpam: Bool) -> LearnOutcome {
        let key = Self.idKey(id)
        var outcome = LearnOutcome.learned
        if let before = learned[key] {
            if before == isSpam { return .unchanged }
            // The tokens are those of the text now; if it changed since, clamping at 0 keeps
            // the counts sane (README, "Learning").
            add(tokens, isSpam: before, by: -1)
            outcome = .relabelled
        }
        add(tokens, isSpam: isSpam, by: 1)
        learned[key] = isSpam
        return outcome
    }

    private func add(_ tokens: Set<String>, isSpam: Bool, by delta: Int) {
        if isSpam { spamComments = max(0, spamComments + delta) } else { hamComments = max(0, hamComments + delta) }
        for token in tokens {
            var value = counts[token] ?? Counts(spam: 0, ham: 0)
            if isSpam {
                value.spam = UInt32(clamping: Int(value.spam) + delta)
            } else {
                value.ham = UInt32(clamping: Int(value.ham) + delta)
            }
            counts[token] = value.spam == 0 && value.ham == 0 ? nil : value
        }
    }

    // MARK: The file

    /// The file's bytes: the same model gives the same bytes.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(counts.count * 24 + learned.count * 20 + 128)
        func line(_ text: String) { out.append(contentsOf: text.utf8); out.append(0x0A) }
        line("\(Self.magic) \(Self.version)")
        line("tokens \(tokenKinds.description)")
        line("comments \(spamComments) \(hamComments)")
        line("learned \(learned.count)")
        for key in learned.keys.sorted() { line("\(key) \(learned[key]! ? "s" : "h")") }
        line("counts \(counts.count)")
        let tokens = counts.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        for bytes in tokens {
            let token = String(decoding: bytes, as: UTF8.self)
            let value = counts[token]!
            out.append(contentsOf: "\(value.spam)\t\(value.ham)\t".utf8)
            out.append(contentsOf: bytes)
            out.append(0x0A)
        }
        return out
    }

    /// Why a model file was refused, worded for a person.
    public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
    }

    /// Reads a model file; any line out of place refuses the whole file (a half-read model
    /// would decide on counts nobody trained).
    ///
    /// One pass over the bytes: the file is cut into lines at each line feed (where `Character`
    /// splitting would cut it: not inside a CR LF pair), and the learned and count lines, all
    /// but a few of the file, are read straight off their bytes; a line of any other shape is
    /// read as `String` by `parseLearnedLine` and `parseCountsLine`, which also word its error.
    public static func parse(_ text: String) throws(FileError) -> TokenModel {
        var text = text
        let result: Result<TokenModel, FileError> = text.withUTF8 { bytes in
            Result { () throws(FileError) in try parse(bytes: bytes) }
        }
        return try result.get()
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(FileError) -> TokenModel {
        // Where each line ends (exclusive); a line starts one byte after the one before ends.
        var ends: [Int] = []
        ends.reserveCapacity(bytes.count / 12 + 1)
        for index in bytes.indices where bytes[index] == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) {
            ends.append(index)
        }
        ends.append(bytes.count)
        var lineCount = ends.count
        if ends.count == 1 ? bytes.isEmpty : ends[ends.count - 1] == ends[ends.count - 2] + 1 { lineCount -= 1 }

        var number = 0   // lines read so far, the last one's number
        var remaining: Int { lineCount - number }
        func next() throws(FileError) -> UnsafeBufferPointer<UInt8> {
            guard number < lineCount else { throw FileError(line: number, message: "the file ends too early (truncated?)") }
            let start = number == 0 ? 0 : ends[number - 1] + 1
            let end = ends[number]
            number += 1
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        func text(_ line: UnsafeBufferPointer<UInt8>) -> String { String(decoding: line, as: UTF8.self) }
        func header(_ name: String, values: Int) throws(FileError) -> [Int] {
            let parts = text(try next()).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == values + 1, parts[0] == name else {
                throw FileError(line: number, message: "expected '\(name)' and \(values) number(s)")
            }
            var numbers: [Int] = []
            for part in parts.dropFirst() {
                guard let value = Int(part), value >= 0 else { throw FileError(line: number, message: "'\(part)' is not a count") }
                numbers.append(value)
            }
            return numbers
        }

        guard lineCount > 0 else { throw FileError(line: 1, message: "not a moderate model file: it is empty") }
        let first = text(try next()).split(separator: " ")
        guard first.count == 2, first[0] == Substring(magic), let version = Int(first[1]) else {
            throw FileError(line: 1, message: "not a moderate model file (it must start with '\(magic) \(Self.version)')")
        }
        guard version <= Self.version else {
            throw FileError(line: 1, message: "model version \(version) is newer than this moderate reads (\(Self.version)); upgrade moderate or retrain the model")
        }
        guard version >= 1 else { throw FileError(line: 1, message: "model version \(version) does not exist") }

        let kindsLine = text(try next())
        guard kindsLine.hasPrefix("tokens "), let kinds = TokenKinds(String(kindsLine.dropFirst(7))) else {
            throw FileError(line: number, message: "expected 'tokens' and a list of token kinds (\(TokenKinds.names.joined(separator: ",")))")
        }
        let model = TokenModel(tokenKinds: kinds)
        let comments = try header("comments", values: 2)
        model.spamComments = comments[0]
        model.hamComments = comments[1]

        let learnedCount = try header("learned", values: 1)[0]
        guard learnedCount <= remaining else { throw FileError(line: number, message: "the file ends too early (truncated?)") }
        model.learned.reserveCapacity(learnedCount)
        for _ in 0..<learnedCount {
            let line = try next()
            // `<16 hex digits> <s|h>`, all ASCII.
            if line.count == 18, line[16] == 0x20, line[17] == UInt8(ascii: "s") || line[17] == UInt8(ascii: "h"),
               line[..<16].allSatisfy(isASCIIHexDigit) {
                model.learned[String(decoding: UnsafeBufferPointer(rebasing: line[..<16]), as: UTF8.self)] = line[17] == UInt8(ascii: "s")
            } else {
                let (key, isSpam) = try parseLearnedLine(text(line)[...], number: number)
                model.learned[key] = isSpam
            }
        }

        let tokenCount = try header("counts", values: 1)[0]
        guard tokenCount == remaining else {
            throw FileError(line: number, message: "'counts \(tokenCount)' but \(remaining) line(s) follow (truncated or edited?)")
        }
        model.counts.reserveCapacity(tokenCount)
        for _ in 0..<tokenCount {
            let line = try next()
            let token: String
            let value: Counts
            // `<spam>\t<ham>\t<token>`, the counts in ASCII digits.
            if let firstTab = line.firstIndex(of: 0x09),
               let secondTab = line[(firstTab + 1)...].firstIndex(of: 0x09), secondTab + 1 < line.count,
               let spam = decimal(line[..<firstTab]), let ham = decimal(line[(firstTab + 1)..<secondTab]),
               spam > 0 || ham > 0 {
                token = String(decoding: UnsafeBufferPointer(rebasing: line[(secondTab + 1)...]), as: UTF8.self)
                value = Counts(spam: spam, ham: ham)
            } else {
                (token, value) = try parseCountsLine(text(line)[...], number: number)
            }
            guard model.counts.updateValue(value, forKey: token) == nil else {
                throw FileError(line: number, message: "token listed twice")
            }
        }
        return model
    }

    /// A learned line of any shape: `<16 hex digits> <s|h>`, or the error.
    private static func parseLearnedLine(_ line: Substring, number: Int) throws(FileError) -> (key: String, isSpam: Bool) {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 16, parts[0].allSatisfy(\.isHexDigit), parts[1] == "s" || parts[1] == "h" else {
            throw FileError(line: number, message: "expected a learned comment: 16 hex digits, a space, s or h")
        }
        return (String(parts[0]), parts[1] == "s")
    }

    /// A count line of any shape: `<spam>\t<ham>\t<token>`, or the error.
    private static func parseCountsLine(_ line: Substring, number: Int) throws(FileError) -> (token: String, counts: Counts) {
        let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let spam = UInt32(parts[0]), let ham = UInt32(parts[1]), !parts[2].isEmpty,
              spam > 0 || ham > 0 else {
            throw FileError(line: number, message: "expected spam count, tab, ham count, tab, token")
        }
        return (String(parts[2]), Counts(spam: spam, ham: ham))
    }

    private static func isASCIIHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// 1 to 10 ASCII digits that fit a UInt32 (what `UInt32(_:)` reads them as); nil for
    /// anything else, which `parseCountsLine` then reads as `UInt32(_:)` does.
    private static func decimal(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        guard (1...10).contains(digits.count) else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value <= UInt64(UInt32.max) ? UInt32(value) : nil
    }
}

/// The kinds of token a comment is cut into (README, "Tokens"). Chosen when a model is first
/// trained and kept in its file, so deciding cuts comments the way training did.
public struct TokenKinds: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Words of the normalised body, and symbols (emoji) one by one.
    public static let words = TokenKinds(rawValue: 1)
    /// Pairs of neighbouring words.
    public static let bigrams = TokenKinds(rawValue: 2)
    /// Character trigrams of text written without spaces, or spaced out letter by letter.
    public static let chars = TokenKinds(rawValue: 4)
    /// The domains of the links, has a link, has three.
    public static let domains = TokenKinds(rawValue: 8)
    /// All capitals, stylised letters, length.
    public static let structure = TokenKinds(rawValue: 16)

    /// What a new model uses unless `--tokens` says otherwise; domains are left out
    /// (`CommentTokenizer` says why).
    public static let standard: TokenKinds = [.words, .bigrams, .chars, .structure]

    static let named: [(String, TokenKinds)] = [("words", .words), ("bigrams", .bigrams), ("chars", .chars),
                                                ("domains", .domains), ("structure", .structure)]
    public static var names: [String] { named.map(\.0) }

    /// `words,chars`; nil for an unknown name or an empty list.
    public init?(_ list: String) {
        var kinds: TokenKinds = []
        for name in list.split(separator: ",") {
            guard let kind = Self.named.first(where: { $0.0 == name })?.1 else { return nil }
            kinds.insert(kind)
        }
        guard !kinds.isEmpty else { return nil }
        self = kinds
    }

    public var description: String { Self.named.filter { contains($0.1) }.map(\.0).joined(separator: ",") }
}
