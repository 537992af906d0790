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
    /// Words with a letter written in a styled form: mathematical, enclosed or fullwidth
    /// letters, small capitals, or another script's lookalikes in a Latin word (`𝐁𝐄𝐓𝐀𝟖𝟖`,
    /// `ᴄʜᴇᴄᴋ`, `vіagra`).
    public let styledWordCount: Int
    /// Words of two or more Latin letters written plainly.
    public let plainWordCount: Int
    /// Styled words of letters and digits (`𝐁𝐄𝐓𝐀𝟖𝟖`, `ВЕТА88`): a brand code in disguise.
    public let styledCodeCount: Int
    /// Whether leetspeak was folded anywhere: when it was not, the text normalised without
    /// leetspeak folding (the view links are found in) is this same text, and need not be made again.
    let foldedLeetspeak: Bool

    init(text: String, runs: [OffsetRun], styledWordCount: Int = 0, plainWordCount: Int = 0, styledCodeCount: Int = 0,
         foldedLeetspeak: Bool = false) {
        self.text = text
        self.runs = runs
        byteCount = text.utf8.count
        self.styledWordCount = styledWordCount
        self.plainWordCount = plainWordCount
        self.styledCodeCount = styledCodeCount
        self.foldedLeetspeak = foldedLeetspeak
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
/// - Letters that look like ASCII ones become them (`Confusables`, from Unicode's UTS #39
///   data): Latin small capitals and other Latin forms everywhere (`ᴄʜᴇᴄᴋ` is `check`);
///   Cyrillic, Greek and symbol lookalikes only in a run of letters and digits with a Latin
///   letter (`vіagra` with a Cyrillic `і`), or in a run of lookalikes and digits (`ВЕТА88`). A word written wholly in
///   Cyrillic or Greek letters is left alone (`Фильм`, `ουρανός`).
/// - Letters spaced or separated out become one word: four or more single letters or digits
///   in a row, three of them letters (`V I A G R A`, `A L E X I S 1 7`), and a word of three or
///   more single letters joined by one kind of `-`, `_`, `.` or `*` (`c-h-e-c-k`, `V.I.A.G.R.A`).
///   Each letter keeps its own place in the original; the separators are dropped.
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
            scanner.run { words, continuesLongRun in
                joinSpacedLetters(&words, continuesLongRun: continuesLongRun)
                let counts = foldLookalikes(&words, leetspeak: foldLeetspeak)
                encoder.styledWords += counts.styled
                encoder.plainWords += counts.plain
                encoder.styledCodes += counts.codes
                encoder.foldedLeetspeak = encoder.foldedLeetspeak || counts.foldedLeetspeak
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
            scanner.run { words, continuesLongRun in
                joinSpacedLetters(&words, continuesLongRun: continuesLongRun)
                _ = foldLookalikes(&words, leetspeak: foldLeetspeak)
                all += words
            }
        }
        return all
    }

    struct MappedScalar {
        var scalar: Unicode.Scalar
        var start: Int32
        var end: Int32
        /// The ASCII letter or digit that this other-script lookalike becomes in a Latin word (0: none).
        var lookalike: UInt8 = 0
        /// Written in a styled form (`TextNormalizer.isStyledForm`, small capitals, lookalikes folded).
        var styled = false
    }

    /// One pass over the original bytes, producing normalised scalars with their sources.
    ///
    /// The scalars are handed on a few thousand at a time, whole words only (the folding after
    /// looks at a word as a whole), rather than all at the end: at 16 bytes a scalar, holding
    /// every scalar of a 16 MB comment would cost 250 MB or more on each thread. A row of
    /// spaced-out letters is handed on whole (up to `longestSpacedWord` letters), to be joined.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let flushCount: Int
        var position = 0
        /// Scalars not handed on yet: from the last space handed on (or the start) to here.
        var output: [MappedScalar] = []
        /// The index in `output` of its last space, where the last complete word ends. A
        /// space is kept back until the next is written: whitespace after it still extends it.
        var lastSpace: Int?
        /// The words handed on last ended inside a row of spaced-out letters too long to be a
        /// word: the next words' first row is its rest, and is not joined either.
        var continuesLongRun = false

        init(bytes: UnsafeBufferPointer<UInt8>, flushCount: Int) {
            self.bytes = bytes
            self.flushCount = flushCount
        }

        mutating func run(handingOn flush: (inout [MappedScalar], Bool) -> Void) {
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
                    // Hands on every word before the last space; that space stays first. A row
                    // of single letters before it stays too, to be joined as a whole, unless
                    // it is longer than any word it could spell.
                    var cut = space, singles = 0
                    while cut >= 2 && singles <= TextNormalizer.longestSpacedWord
                        && TextNormalizer.isSpaceableLetter(output[cut - 1]) && output[cut - 2].scalar == " " {
                        cut -= 2
                        singles += 1
                    }
                    let forced = singles > TextNormalizer.longestSpacedWord
                    if forced { cut = space }
                    if cut > 0 {
                        var words = Array(output[..<cut])
                        flush(&words, continuesLongRun)
                        continuesLongRun = forced
                        output.removeSubrange(..<cut)
                        lastSpace = output.lastIndex { $0.scalar == " " }
                    }
                }
            }
            while output.last?.scalar == " " { output.removeLast() }
            flush(&output, continuesLongRun)
        }

        /// Normalises one scalar of the source and appends what it becomes.
        private mutating func emit(_ scalar: Unicode.Scalar, _ start: Int, _ end: Int) {
            let from = Int32(start), to = Int32(end)
            if scalar.isASCII {
                if scalar.isWhitespaceProperty {
                    appendSpace(from, to)
                } else {
                    let lowered = scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar
                    output.append(MappedScalar(scalar: lowered, start: from, end: to))
                }
                return
            }
            if TextNormalizer.invisible.contains(scalar.value) || (0xFE00...0xFE0F).contains(scalar.value) { return }
            if scalar.isWhitespaceProperty {
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
            let styled = TextNormalizer.isStyledForm(scalar, folded: folded)
            for part in folded {
                var lookalike: UInt8 = 0
                // The character as written first: NFKC makes a lunate `ϲ` the final `ς`, which looks like no Latin letter.
                if let entry = (folded.count == 1 ? Confusables.entry(for: scalar) : nil) ?? Confusables.entry(for: part) {
                    if entry.kind != .otherScript {
                        let ascii = Unicode.Scalar(entry.ascii)
                        output.append(MappedScalar(scalar: ascii, start: from, end: to, styled: styled || entry.kind == .smallCapital))
                        continue
                    }
                    lookalike = entry.ascii
                }
                for lowered in part.properties.lowercaseMapping.unicodeScalars {
                    if lowered.isWhitespaceProperty {
                        appendSpace(from, to)
                    } else {
                        output.append(MappedScalar(scalar: lowered, start: from, end: to, lookalike: lookalike, styled: styled))
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

    private static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 97 && scalar.value <= 122)
    }

    private static func isLetterOrDigit(_ character: MappedScalar) -> Bool {
        character.lookalike != 0 || character.scalar.isLetterOrNumber
    }

    /// Lookalikes in a run of letters and digits with a Latin letter, or in a run of lookalikes
    /// and digits (`ВЕТА88`: a Latin word in disguise), become the ASCII letters they look like.
    private static func foldLookalikes(in segment: Range<Int>, _ characters: inout [MappedScalar]) {
        let hasLatinLetter = characters[segment].contains { isLatinLetter($0.scalar) }
        let isLookalikeCode = !hasLatinLetter && characters[segment].contains { (48...57).contains($0.scalar.value) }
            && characters[segment].contains { $0.lookalike > 57 }
            && characters[segment].allSatisfy { $0.lookalike != 0 || !$0.scalar.isAlphabeticProperty }
        guard hasLatinLetter || isLookalikeCode else { return }
        for index in segment where characters[index].lookalike != 0 {
            characters[index].scalar = Unicode.Scalar(characters[index].lookalike)
            characters[index].styled = true
        }
    }

    /// Letters written in a form that only styling explains: mathematical alphanumerics
    /// (`𝐁`, `𝓑`), enclosed ones (`Ⓑ`, `🄱`), fullwidth ones (`Ｂ`) and letter-like symbols
    /// (`ℬ`), when they fold to an ASCII letter or digit (`™`, `²`, `№` and the emoji `ℹ` are not styling).
    static func isStyledForm(_ scalar: Unicode.Scalar, folded: [Unicode.Scalar]) -> Bool {
        let value = scalar.value
        let styledBlock = (0x1D400...0x1D7FF).contains(value) || (0x2460...0x24FF).contains(value)
            || (0x1F100...0x1F1FF).contains(value) || (0xFF10...0xFF5A).contains(value)
            || (0x2100...0x214F).contains(value)
        guard styledBlock, value != 0x2139, folded.count == 1, let only = folded.first, only.isASCII else { return false }
        return only.properties.isAlphabetic || (0x30...0x39).contains(only.value)
    }

    /// The most single letters that spaced-out letters are joined into (longer rows are not a word).
    static let longestSpacedWord = 64

    /// Whether a normalised scalar can be one letter of a spaced-out word: an ASCII letter or
    /// digit, or something that looks like one.
    static func isSpaceableLetter(_ character: MappedScalar) -> Bool {
        let value = character.scalar.value
        return (value >= 97 && value <= 122) || (value >= 48 && value <= 57) || character.lookalike != 0
    }

    private static func isLetterOfSpacedWord(_ character: MappedScalar) -> Bool {
        let value = character.scalar.value
        return (value >= 97 && value <= 122) || character.lookalike > 57
    }

    /// `V I A G R A` → `viagra`, `c-h-e-c-k` → `check` (see the type's description). Runs before
    /// lookalikes and leetspeak are folded, which then see the joined word.
    static func joinSpacedLetters(_ characters: inout [MappedScalar], continuesLongRun: Bool) {
        guard characters.count >= 5 else { return }
        var keep = [Bool](repeating: true, count: characters.count)
        var changed = false
        // Separated letters inside one word: `c-h-e-c-k`, `v.i.a.g.r.a`.
        var wordStart = 0
        while wordStart < characters.count {
            var wordEnd = wordStart
            while wordEnd < characters.count && characters[wordEnd].scalar != " " { wordEnd += 1 }
            let length = wordEnd - wordStart
            if length >= 5 && length % 2 == 1, "-_.*".unicodeScalars.contains(characters[wordStart + 1].scalar) {
                let separator = characters[wordStart + 1].scalar
                var letters = 0, separated = true
                for index in stride(from: wordStart, to: wordEnd, by: 2) {
                    guard isSpaceableLetter(characters[index]),
                          index + 1 == wordEnd || characters[index + 1].scalar == separator else { separated = false; break }
                    if isLetterOfSpacedWord(characters[index]) { letters += 1 }
                }
                if separated && letters >= 3 {
                    for index in stride(from: wordStart + 1, to: wordEnd, by: 2) { keep[index] = false }
                    changed = true
                }
            }
            wordStart = wordEnd + 1
        }
        // Rows of single letters between spaces: `V I A G R A`.
        var index = 0
        while index < characters.count {
            // A row starts at a single letter at the start or after a space.
            guard index == 0 || characters[index - 1].scalar == " " else { index += 1; continue }
            var end = index, singles = 0, letters = 0
            while end < characters.count, isSpaceableLetter(characters[end]),
                  end + 1 == characters.count || characters[end + 1].scalar == " " {
                singles += 1
                if isLetterOfSpacedWord(characters[end]) { letters += 1 }
                end += 2
            }
            // Words handed on after a cut start with the space before them.
            let continuesEarlierRow = index <= 1 && continuesLongRun
            if singles >= 4 && letters >= 3 && singles <= longestSpacedWord && !continuesEarlierRow {
                for space in stride(from: index + 1, to: min(end - 2, characters.count), by: 2) { keep[space] = false }
                changed = true
            }
            index = singles > 0 ? end : index + 1
        }
        guard changed else { return }
        var kept: [MappedScalar] = []
        kept.reserveCapacity(characters.count)
        for (index, character) in characters.enumerated() where keep[index] { kept.append(character) }
        characters = kept
    }

    /// Per word (a run without spaces): lookalikes in Latin words, then leetspeak between
    /// letters. Counts the styled words and the plain words, for the stylised-text signal.
    private static func foldLookalikes(_ characters: inout [MappedScalar], leetspeak: Bool)
        -> (styled: Int, plain: Int, codes: Int, foldedLeetspeak: Bool) {
        var styledWords = 0, plainWords = 0, styledCodes = 0, foldedLeetspeak = false
        var wordStart = 0
        while wordStart < characters.count {
            var wordEnd = wordStart
            while wordEnd < characters.count && characters[wordEnd].scalar != " " { wordEnd += 1 }
            let word = wordStart..<wordEnd
            // Lookalikes are folded per run of letters and digits, so that punctuation parts
            // scripts (`YouTube:الإعلانات` keeps its Arabic).
            var segmentStart = wordStart
            while segmentStart < wordEnd {
                var segmentEnd = segmentStart
                while segmentEnd < wordEnd && isLetterOrDigit(characters[segmentEnd]) { segmentEnd += 1 }
                if segmentEnd > segmentStart { foldLookalikes(in: segmentStart..<segmentEnd, &characters) }
                segmentStart = segmentEnd + 1
            }
            if leetspeak && characters[word].contains(where: { isLatinLetter($0.scalar) }) {
                if foldLeetspeak(in: word, &characters) { foldedLeetspeak = true }
            }
            var letters = 0
            for index in word where isLatinLetter(characters[index].scalar) { letters += 1 }
            if characters[word].contains(where: \.styled) {
                if letters > 0 { styledWords += 1 }
                if letters > 0 && characters[word].contains(where: { (48...57).contains($0.scalar.value) }) { styledCodes += 1 }
            } else if letters >= 2 {
                plainWords += 1
            }
            wordStart = wordEnd + 1
        }
        return (styledWords, plainWords, styledCodes, foldedLeetspeak)
    }

    /// A run of leetspeak symbols becomes letters only when letters stand on both sides of it.
    /// Returns whether any did.
    private static func foldLeetspeak(in word: Range<Int>, _ characters: inout [MappedScalar]) -> Bool {
        var folded = false
        var index = word.lowerBound
        while index < word.upperBound {
            guard leetspeakLetter(characters[index].scalar) != nil else { index += 1; continue }
            var runEnd = index
            while runEnd < word.upperBound && leetspeakLetter(characters[runEnd].scalar) != nil { runEnd += 1 }
            let letterBefore = index > word.lowerBound && isLatinLetter(characters[index - 1].scalar)
            let letterAfter = runEnd < word.upperBound && isLatinLetter(characters[runEnd].scalar)
            if letterBefore && letterAfter {
                for position in index..<runEnd { characters[position].scalar = leetspeakLetter(characters[position].scalar)! }
                folded = true
            }
            index = runEnd
        }
        return folded
    }

    /// The letter a leetspeak digit or symbol stands for. A switch, not a dictionary: it is
    /// asked of every character of every Latin word, and a look-up would hash each one.
    static func leetspeakLetter(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar {
        case "0": "o"
        case "1", "!": "i"
        case "3": "e"
        case "4", "@": "a"
        case "5", "$": "s"
        case "7": "t"
        case "|": "l"
        default: nil
        }
    }

    /// Writes normalised scalars as UTF-8 and their map back as runs (`OffsetRun`): a scalar
    /// that goes on the last run's pattern costs no map at all.
    private struct Encoder {
        var bytes: [UInt8] = []
        var runs: [OffsetRun] = []
        var styledWords = 0
        var plainWords = 0
        var styledCodes = 0
        var foldedLeetspeak = false

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
            return NormalizedText(text: String(decoding: bytes, as: UTF8.self), runs: runs,
                                  styledWordCount: styledWords, plainWordCount: plainWords, styledCodeCount: styledCodes,
                                  foldedLeetspeak: foldedLeetspeak)
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
