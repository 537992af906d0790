import Foundation

/// A comment field as rules see it through obfuscation, with the way back to the original:
/// every byte of `text` knows the range of original bytes it came from, so a match in the
/// normalised text is reported at its place in the original.
public struct NormalizedText: Sendable {
    public let text: String
    private let sourceStart: [Int32]
    private let sourceEnd: [Int32]

    init(text: String, sourceStart: [Int32], sourceEnd: [Int32]) {
        self.text = text
        self.sourceStart = sourceStart
        self.sourceEnd = sourceEnd
    }

    /// The original byte range that a byte range of `text` came from.
    public func originalRange(of range: Range<Int>) -> Range<Int> {
        guard !sourceStart.isEmpty else { return 0..<0 }
        let first = min(range.lowerBound, sourceStart.count - 1)
        let last = max(first, min(range.upperBound, sourceStart.count) - 1)
        if range.isEmpty { return Int(sourceStart[first])..<Int(sourceStart[first]) }
        return Int(sourceStart[first])..<Int(sourceEnd[last])
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
        var characters: [MappedScalar] = []
        var utf8 = original
        utf8.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            scanner.run(into: &characters)
        }
        foldLookalikes(&characters, leetspeak: foldLeetspeak)
        return encode(characters)
    }

    struct MappedScalar {
        var scalar: Unicode.Scalar
        var start: Int32
        var end: Int32
    }

    /// One pass over the original bytes, producing normalised scalars with their sources.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func run(into output: inout [MappedScalar]) {
            output.reserveCapacity(bytes.count)
            while position < bytes.count {
                let start = position
                if bytes[position] == UInt8(ascii: "<"), let tagEnd = tagEnd(from: position) {
                    emit(" ", start, tagEnd, &output)
                    if let href = href(in: start..<tagEnd) {
                        for scalar in href.unicodeScalars { emit(scalar, start, tagEnd, &output) }
                        emit(" ", start, tagEnd, &output)
                    }
                    position = tagEnd
                } else if bytes[position] == UInt8(ascii: "&"), let (decoded, entityEnd) = entity(from: position) {
                    emit(decoded, start, entityEnd, &output)
                    position = entityEnd
                } else {
                    let (scalar, length) = decodeScalar(at: position)
                    position += length
                    emit(scalar, start, position, &output)
                }
            }
            while output.last?.scalar == " " { output.removeLast() }
        }

        /// Normalises one scalar of the source and appends what it becomes.
        private func emit(_ scalar: Unicode.Scalar, _ start: Int, _ end: Int, _ output: inout [MappedScalar]) {
            let from = Int32(start), to = Int32(end)
            if scalar.isASCII {
                if scalar.properties.isWhitespace {
                    appendSpace(from, to, &output)
                } else {
                    let lowered = scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar
                    output.append(MappedScalar(scalar: lowered, start: from, end: to))
                }
                return
            }
            if TextNormalizer.invisible.contains(scalar.value) || (0xFE00...0xFE0F).contains(scalar.value) { return }
            if scalar.properties.isWhitespace {
                appendSpace(from, to, &output)
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
                        appendSpace(from, to, &output)
                    } else {
                        output.append(MappedScalar(scalar: lowered, start: from, end: to))
                    }
                }
            }
        }

        private func emit(_ text: String, _ start: Int, _ end: Int, _ output: inout [MappedScalar]) {
            for scalar in text.unicodeScalars { emit(scalar, start, end, &output) }
        }

        private func appendSpace(_ start: Int32, _ end: Int32, _ output: inout [MappedScalar]) {
            guard let last = output.last else { return }  // no leading space
            if last.scalar == " " {
                output[output.count - 1].end = end
            } else {
                output.append(MappedScalar(scalar: " ", start: start, end: end))
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

    private static func encode(_ characters: [MappedScalar]) -> NormalizedText {
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var ends: [Int32] = []
        bytes.reserveCapacity(characters.count)
        starts.reserveCapacity(characters.count)
        ends.reserveCapacity(characters.count)
        for character in characters {
            for byte in UTF8.encode(character.scalar)! {
                bytes.append(byte)
                starts.append(character.start)
                ends.append(character.end)
            }
        }
        return NormalizedText(text: String(decoding: bytes, as: UTF8.self), sourceStart: starts, sourceEnd: ends)
    }
}
