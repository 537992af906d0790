import Foundation

/// A comment field as rules see it through obfuscation, with the way back to the original:
/// every byte of `text` knows the range of original bytes it came from, so a match in the
/// normalised text is reported at its place in the original.
///
/// The map back is kept as runs (`OffsetRun`), not as a start and an end per byte: over long
/// stretches of ordinary text each character comes from the next few original bytes, so one
/// run stands for the whole stretch. A byte-per-byte map cost 8 bytes per byte of `text`
/// (and 30 MB for a 1 MB comment with its working copies); runs cost 16 bytes per change of
/// pattern, at most two per three original bytes (README, "Memory").
public struct NormalizedText: Sendable {
    public let text: String
    /// Sorted by `textStart`; the first starts at 0. Empty when `text` is.
    let runs: [OffsetRun]
    let byteCount: Int

    init(text: String, runs: [OffsetRun]) {
        self.text = text
        self.runs = runs
        byteCount = text.utf8.count
    }

    /// The original byte range that a byte range of `text` came from.
    public func originalRange(of range: Range<Int>) -> Range<Int> {
        guard byteCount > 0 else { return 0..<0 }
        let first = min(range.lowerBound, byteCount - 1)
        let last = max(first, min(range.upperBound, byteCount) - 1)
        if range.isEmpty {
            let start = source(ofByte: first).lowerBound
            return start..<start
        }
        return source(ofByte: first).lowerBound..<source(ofByte: last).upperBound
    }

    /// The original bytes that byte `offset` of `text` came from.
    func source(ofByte offset: Int) -> Range<Int> {
        // The last run starting at or before `offset`.
        var low = 0, high = runs.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if Int(runs[middle].textStart) <= offset { low = middle } else { high = middle }
        }
        return runs[low].source(ofByte: offset)
    }

    /// Bytes this view holds: its text and its runs (what README's memory figures count).
    public var memoryBytes: Int { byteCount + runs.capacity * MemoryLayout<OffsetRun>.stride }
}

/// A stretch of a normalised text whose bytes map back to the original by one rule: either
/// every character came from the same original range (a tag and its `href`, an entity, `ﬁ`
/// folded to `fi`: `width` 0), or the characters are all `width` bytes long and each came
/// from the `sourceLength` original bytes after the one before (plain text: `width` and
/// `sourceLength` 1; Cyrillic or Japanese left as it is: both 2 or 3).
struct OffsetRun: Sendable, Equatable {
    /// The run's first byte in the normalised text.
    var textStart: UInt32
    /// Where the run's first character came from in the original.
    var sourceStart: UInt32
    var sourceLength: UInt32
    /// UTF-8 bytes of each character, or 0 when all came from the same original range.
    var width: UInt32

    func source(ofByte offset: Int) -> Range<Int> {
        let start: Int
        if width == 0 {
            start = Int(sourceStart)
        } else {
            start = Int(sourceStart) + (offset - Int(textStart)) / Int(width) * Int(sourceLength)
        }
        return start..<(start + Int(sourceLength))
    }
}

/// Sees through the usual obfuscations. In order, over the original text:
/// - HTML: tags are removed (a tag separates words), but the targets of links (`href`) are
///   kept as text; entities (`&lt;`, `&#1110;`, `&#x2e;` …) are decoded.
/// - Invisible characters are dropped: zero-width spaces and joiners, soft hyphens, word
///   joiners, byte-order marks, bidirectional controls, variation selectors.
/// - Unicode compatibility forms are folded (NFKD: fullwidth `ｃｏｍ` is `com`, `ﬁ` is `fi`),
///   accents and other combining marks are dropped (`vïagra` is `viagra`), case is folded.
/// - In a word with at least one Latin letter, Cyrillic and Greek letters that look Latin
///   become Latin (`vіagra` with a Cyrillic `і`); a word written wholly in Cyrillic or
///   Greek is left alone.
/// - With `foldLeetspeak`, digits and symbols between letters become the letters they stand
///   for (`v1agra`, `c@sino`); `2024`, `mp3` and `$50` stay.
/// - Runs of white space become one space; leading and trailing space is dropped.
public enum TextNormalizer {
    public static func normalize(_ original: String, foldLeetspeak: Bool = true) -> NormalizedText {
        normalize(original, foldLeetspeak: foldLeetspeak, flushingAt: 4_096)
    }

    /// `flushingAt`: how many scalars the scanner holds before it hands its complete words on
    /// to be folded and encoded. Only tests change it (to show it changes nothing).
    static func normalize(_ original: String, foldLeetspeak: Bool, flushingAt flushCount: Int) -> NormalizedText {
        var encoder = Encoder(capacity: original.utf8.count)
        var utf8 = original
        utf8.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, flushCount: flushCount)
            scanner.run { words in
                foldLookalikes(&words, leetspeak: foldLeetspeak)
                encoder.append(words)
            }
        }
        return encoder.finish()
    }

    /// Every normalised scalar with the original range it came from, in one list: what
    /// `normalize` encodes, for tests to check its runs against.
    static func mappedScalars(_ original: String, foldLeetspeak: Bool = true) -> [MappedScalar] {
        var all: [MappedScalar] = []
        var utf8 = original
        utf8.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes, flushCount: .max)
            scanner.run { words in
                foldLookalikes(&words, leetspeak: foldLeetspeak)
                all += words
            }
        }
        return all
    }

    struct MappedScalar {
        var scalar: Unicode.Scalar
        var start: Int32
        var end: Int32
    }

    /// One pass over the original bytes, producing normalised scalars with their sources.
    ///
    /// The scalars are handed on a few thousand at a time, whole words only (the folding after
    /// looks at a word as a whole), rather than all at the end: at 12 bytes a scalar, holding
    /// every scalar of a 16 MB comment would cost 200 MB or more on each thread.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let flushCount: Int
        var position = 0
        /// Scalars not handed on yet: from the last space handed on (or the start) to here.
        var output: [MappedScalar] = []
        /// The index in `output` of its last space, where the last complete word ends. A
        /// space is kept back until the next is written: whitespace after it still extends it.
        var lastSpace: Int?

        init(bytes: UnsafeBufferPointer<UInt8>, flushCount: Int) {
            self.bytes = bytes
            self.flushCount = flushCount
        }

        mutating func run(handingOn flush: (inout [MappedScalar]) -> Void) {
            output.reserveCapacity(min(bytes.count, 2 * min(flushCount, 1 << 20)))
            while position < bytes.count {
                let start = position
                if bytes[position] == UInt8(ascii: "<"), let tagEnd = tagEnd(from: position) {
                    emit(" ", start, tagEnd)
                    if let href = href(in: start..<tagEnd) {
                        for scalar in href.unicodeScalars { emit(scalar, start, tagEnd) }
                        emit(" ", start, tagEnd)
                    }
                    position = tagEnd
                } else if bytes[position] == UInt8(ascii: "&"), let (decoded, entityEnd) = entity(from: position) {
                    emit(decoded, start, entityEnd)
                    position = entityEnd
                } else {
                    let (scalar, length) = decodeScalar(at: position)
                    position += length
                    emit(scalar, start, position)
                }
                if output.count >= flushCount, let space = lastSpace, space > 0 {
                    // Hands on every word before the last space; that space stays first.
                    var words = Array(output[..<space])
                    flush(&words)
                    output.removeSubrange(..<space)
                    lastSpace = 0
                }
            }
            while output.last?.scalar == " " { output.removeLast() }
            flush(&output)
        }

        /// Normalises one scalar of the source and appends what it becomes.
        private mutating func emit(_ scalar: Unicode.Scalar, _ start: Int, _ end: Int) {
            let from = Int32(start), to = Int32(end)
            if scalar.isASCII {
                if scalar.properties.isWhitespace {
                    appendSpace(from, to)
                } else {
                    let lowered = scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar
                    output.append(MappedScalar(scalar: lowered, start: from, end: to))
                }
                return
            }
            if TextNormalizer.invisible.contains(scalar.value) || (0xFE00...0xFE0F).contains(scalar.value) { return }
            if scalar.properties.isWhitespace {
                appendSpace(from, to)
                return
            }
            if let dot = TextNormalizer.dots[scalar] {
                output.append(MappedScalar(scalar: dot, start: from, end: to))
                return
            }
            // Accents come off Latin letters only (`vïagra`); other scripts keep their letters
            // whole (Cyrillic `й` is not `и`), with compatibility forms still folded.
            let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
            let folded = decomposed.first.map { $0.isASCII } == true
                ? decomposed.filter { !TextNormalizer.isMark($0) }
                : Array(String(scalar).precomposedStringWithCompatibilityMapping.unicodeScalars)
            for part in folded {
                for lowered in part.properties.lowercaseMapping.unicodeScalars {
                    if lowered.properties.isWhitespace {
                        appendSpace(from, to)
                    } else {
                        output.append(MappedScalar(scalar: lowered, start: from, end: to))
                    }
                }
            }
        }

        private mutating func emit(_ text: String, _ start: Int, _ end: Int) {
            for scalar in text.unicodeScalars { emit(scalar, start, end) }
        }

        private mutating func appendSpace(_ start: Int32, _ end: Int32) {
            guard let last = output.last else { return }  // no leading space
            if last.scalar == " " {
                output[output.count - 1].end = end
            } else {
                output.append(MappedScalar(scalar: " ", start: start, end: end))
                lastSpace = output.count - 1
            }
        }

        private func decodeScalar(at index: Int) -> (Unicode.Scalar, Int) {
            var iterator = bytes[index..<min(index + 4, bytes.count)].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                return (scalar, UTF8.width(scalar))
            }
            return ("\u{FFFD}", 1)
        }

        /// The end of an HTML tag or comment starting at `start`, if it is one (within 2 KiB).
        private func tagEnd(from start: Int) -> Int? {
            guard start + 1 < bytes.count else { return nil }
            let next = bytes[start + 1]
            let isLetter = (next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z")
            guard isLetter || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") else { return nil }
            let limit = min(bytes.count, start + 2048)
            var index = start + 1
            while index < limit {
                if bytes[index] == UInt8(ascii: ">") { return index + 1 }
                if bytes[index] == UInt8(ascii: "<") { return nil }
                index += 1
            }
            return nil
        }

        /// The `href` of an `<a …>` tag, decoded.
        private func href(in range: Range<Int>) -> String? {
            let tag = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            guard tag.count > 2, tag.lowercased().hasPrefix("<a"), let hrefRange = tag.range(of: "href", options: .caseInsensitive) else {
                return nil
            }
            var rest = tag[hrefRange.upperBound...].drop { $0 == " " }
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            let quote = rest.first == "\"" || rest.first == "'" ? rest.first : nil
            if quote != nil { rest = rest.dropFirst() }
            let value = rest.prefix { quote != nil ? $0 != quote : ($0 != " " && $0 != ">") }
            return value.isEmpty ? nil : TextNormalizer.decodeEntities(String(value))
        }

        /// A character entity starting at `start`: its text and where it ends.
        private func entity(from start: Int) -> (String, Int)? {
            let limit = min(bytes.count, start + 12)
            var index = start + 1
            while index < limit && bytes[index] != UInt8(ascii: ";") { index += 1 }
            guard index < limit else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index]), as: UTF8.self)
            guard let decoded = TextNormalizer.entityValue(name) else { return nil }
            return (decoded, index + 1)
        }
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func entityValue(_ name: String) -> String? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
        }
        if name.hasPrefix("#") {
            return UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String($0) }
        }
        return namedEntities[name]
    }

    /// Entities in a short piece of text, such as an attribute value.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            rest = rest[ampersand...]
            if let semicolon = rest.prefix(12).firstIndex(of: ";"),
               let value = entityValue(String(rest[rest.index(after: rest.startIndex)..<semicolon])) {
                result += value
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
                rest = rest.dropFirst()
            }
        }
        return result + rest
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "shy": "\u{AD}",
        "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
        "middot": "·", "bull": "•", "period": ".", "commat": "@", "dollar": "$", "colon": ":", "sol": "/",
        "zwj": "\u{200D}", "zwnj": "\u{200C}",
    ]

    /// Characters that change nothing a reader sees, used to split words so filters miss them.
    static let invisible: Set<UInt32> = [
        0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E,
        0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
        0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0x3164, 0xFEFF, 0xFFA0,
    ]

    /// Full stops of other scripts that spammers use to hide domains (`example。com`).
    static let dots: [Unicode.Scalar: Unicode.Scalar] = ["\u{3002}": ".", "\u{FF61}": ".", "\u{2024}": ".", "\u{FE52}": "."]

    /// Cyrillic and Greek letters (lower case) that look like Latin ones.
    static let lookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        "а": "a", "в": "b", "г": "r", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "п": "n",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
        "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ı": "i", "ø": "o",
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ς": "c",
    ]

    static let leetspeak: [Unicode.Scalar: Unicode.Scalar] = [
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l",
    ]

    private static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 97 && scalar.value <= 122)
    }

    /// Per word (a run without spaces): lookalikes in mixed words, then leetspeak between letters.
    private static func foldLookalikes(_ characters: inout [MappedScalar], leetspeak: Bool) {
        var wordStart = 0
        while wordStart < characters.count {
            var wordEnd = wordStart
            while wordEnd < characters.count && characters[wordEnd].scalar != " " { wordEnd += 1 }
            let word = wordStart..<wordEnd
            if characters[word].contains(where: { isLatinLetter($0.scalar) }) {
                for index in word {
                    if let latin = lookalikes[characters[index].scalar] { characters[index].scalar = latin }
                }
                if leetspeak { foldLeetspeak(in: word, &characters) }
            }
            wordStart = wordEnd + 1
        }
    }

    /// A run of leetspeak symbols becomes letters only when letters stand on both sides of it.
    private static func foldLeetspeak(in word: Range<Int>, _ characters: inout [MappedScalar]) {
        var index = word.lowerBound
        while index < word.upperBound {
            guard leetspeak[characters[index].scalar] != nil else { index += 1; continue }
            var runEnd = index
            while runEnd < word.upperBound && leetspeak[characters[runEnd].scalar] != nil { runEnd += 1 }
            let letterBefore = index > word.lowerBound && isLatinLetter(characters[index - 1].scalar)
            let letterAfter = runEnd < word.upperBound && isLatinLetter(characters[runEnd].scalar)
            if letterBefore && letterAfter {
                for position in index..<runEnd { characters[position].scalar = leetspeak[characters[position].scalar]! }
            }
            index = runEnd
        }
    }

    /// Writes normalised scalars as UTF-8 and their map back as runs (`OffsetRun`): a scalar
    /// that goes on the last run's pattern costs no map at all.
    private struct Encoder {
        var bytes: [UInt8] = []
        var runs: [OffsetRun] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func append(_ characters: [MappedScalar]) {
            for character in characters { append(character) }
        }

        mutating func append(_ character: MappedScalar) {
            let width = UInt32(UTF8.width(character.scalar))
            let start = UInt32(character.start), length = UInt32(character.end - character.start)
            let textEnd = UInt32(bytes.count)
            if let run = runs.last {
                if run.width == 0 {
                    if start == run.sourceStart && length == run.sourceLength { return write(character) }
                } else {
                    let characters = (textEnd - run.textStart) / run.width
                    if width == run.width && length == run.sourceLength
                        && Int(start) == Int(run.sourceStart) + Int(characters) * Int(length) {
                        return write(character)
                    }
                    // A run of one character whose next comes from the same original range
                    // (the rest of an `href`, a ligature's second letter) becomes a run of one range.
                    if characters == 1 && start == run.sourceStart && length == run.sourceLength {
                        runs[runs.count - 1].width = 0
                        return write(character)
                    }
                }
            }
            runs.append(OffsetRun(textStart: textEnd, sourceStart: start, sourceLength: length, width: width))
            write(character)
        }

        private mutating func write(_ character: MappedScalar) {
            bytes.append(contentsOf: UTF8.encode(character.scalar)!)
        }

        consuming func finish() -> NormalizedText {
            runs.shrinkToFit()
            return NormalizedText(text: String(decoding: bytes, as: UTF8.self), runs: runs)
        }
    }
}

extension Array {
    /// Gives back the capacity past `count` (a run list is kept as long as its comment).
    mutating func shrinkToFit() {
        guard capacity > count else { return }
        let old = self
        self = Array(unsafeUninitializedCapacity: old.count) { buffer, initialized in
            _ = buffer.initialize(from: old)
            initialized = old.count
        }
    }
}
