/// What every match of a pattern must contain, read off the pattern's text, so that one cheap
/// scan of a comment can skip the patterns that cannot match there (SpamAssassin's sa-compile
/// and Rspamd's Hyperscan do the same).
///
/// A text can only match if, for each entry of `allOf`, at least one of the entry's literals
/// occurs in the text as `LiteralFolding` reads it (ASCII letters in lower case; see there).
/// An empty `allOf` means nothing is known: the pattern must always run.
///
/// The analysis is conservative. Literals are only taken from ASCII characters and from
/// non-letters without case (`€`, `@`), which PCRE2 matches the same with or without
/// CASELESS once ASCII case is folded; everything else (classes of letters, `\w`, back
/// references, repeats) is "some text we cannot name". Syntax it does not fully understand
/// (extended mode, verbs, conditionals, recursion) gives up on the whole pattern.
public struct RequiredLiterals: Sendable, Equatable {
    public let allOf: [[[UInt8]]]
    /// A match also needs this many word characters in a row (`\w{25,}`), and this many digits
    /// in a row (`\d{4}`); 0 when nothing is known. Counted by the scanner as bytes that can
    /// belong to such characters (see `CharacterRuns`).
    public let wordRun: Int
    public let digitRun: Int

    /// Nothing known: the pattern runs on every text.
    public static let nothingKnown = RequiredLiterals(allOf: [])

    /// Runs shorter than this are in nearly every text.
    static let shortestUsefulRun = 3

    /// At most this many alternatives are kept per pattern: the most selective ones.
    static let maximumKept = 3
    /// A group of more literals (a long phrase list) is not worth scanning for: its automaton
    /// outgrows the processor's caches, and the scan then costs about what PCRE2's own
    /// matching of the list costs (measured with the 2,000-word list of Benchmarks/limit-rules).
    static let maximumLiteralsInGroup = 256

    public init(allOf: [[[UInt8]]], wordRun: Int = 0, digitRun: Int = 0) {
        self.allOf = allOf
        self.wordRun = wordRun
        self.digitRun = digitRun
    }

    public init(pattern: String, options: RegexOptions) {
        // In extended mode white space and `#` comments are not literals.
        guard !options.contains(.extended) else {
            self = .nothingKnown
            return
        }
        var parser = PatternParser(pattern)
        guard let whole = try? parser.parsePattern() else {
            self = .nothingKnown
            return
        }
        let chosen = whole.requirements
            .filter { !Fragment.isCommon($0) && $0.count <= Self.maximumLiteralsInGroup }
            .sorted { Fragment.selectivity(of: $0) > Fragment.selectivity(of: $1) }
            .prefix(Self.maximumKept)
        allOf = chosen.map { $0.sorted { $0.lexicographicallyPrecedes($1) } }
        wordRun = whole.runs.word >= Self.shortestUsefulRun ? whole.runs.word : 0
        digitRun = whole.runs.digit >= Self.shortestUsefulRun ? whole.runs.digit : 0
    }

    @inlinable public var isEmpty: Bool { allOf.isEmpty && wordRun == 0 && digitRun == 0 }
}

extension RequiredLiterals {
    /// Whether `text` has everything these requirements name, checked the plain, slow way:
    /// fold the text, search for each literal, count runs byte by byte. The prefilter's scanner
    /// answers the same for every rule in one pass; tests and the fuzz target hold both the
    /// analysis (against PCRE2) and the scanner to this.
    public func isMet(by text: String) -> Bool {
        var folded: [UInt8] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{017F}": folded.append(UInt8(ascii: "s"))
            case "\u{212A}": folded.append(UInt8(ascii: "k"))
            default: folded += String(scalar).utf8.map(LiteralFolding.lowercase)
            }
        }
        func occurs(_ literal: [UInt8]) -> Bool {
            guard literal.count <= folded.count else { return false }
            return (0...(folded.count - literal.count)).contains { folded[$0..<($0 + literal.count)].elementsEqual(literal) }
        }
        /// The longest run of bytes that can belong to characters of a kind (see `LiteralScanner`).
        func longestRun(_ counts: (UInt8) -> Bool) -> Int {
            var longest = 0
            var current = 0
            for byte in text.utf8 {
                current = counts(byte) ? current + 1 : 0
                longest = max(longest, current)
            }
            return longest
        }
        let isDigitByte = { (byte: UInt8) in byte >= 0x80 || (0x30...0x39).contains(byte) }
        let isWordByte = { (byte: UInt8) in
            isDigitByte(byte) || byte == 0x5F || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        return allOf.allSatisfy { $0.contains(where: occurs) }
            && longestRun(isWordByte) >= wordRun && longestRun(isDigitByte) >= digitRun
    }
}

/// How the literal scan reads text: ASCII letters in lower case, and the two non-ASCII
/// characters that PCRE2 matches caselessly to ASCII letters, LATIN SMALL LETTER LONG S (ſ,
/// as `s`) and KELVIN SIGN (K, as `k`), read as those letters. Everything else is as it is.
public enum LiteralFolding {
    /// The folded form of a character in a pattern, or nil when PCRE2 might match it
    /// caselessly to other characters (then it cannot be a literal).
    static func literal(_ scalar: Unicode.Scalar) -> [UInt8]? {
        if scalar.isASCII { return [lowercase(UInt8(scalar.value))] }
        let properties = scalar.properties
        if properties.changesWhenCaseMapped || properties.isAlphabetic || properties.isCased { return nil }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .letterNumber:
            return nil
        default:
            return Array(String(scalar).utf8)
        }
    }

    @inline(__always)
    public static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}

/// Runs of word characters and of digits a piece of a pattern needs, 0 when none.
private struct Runs {
    var word = 0
    var digit = 0

    /// Both pieces' runs are needed.
    func and(_ other: Runs) -> Runs { Runs(word: max(word, other.word), digit: max(digit, other.digit)) }
    /// One of the two pieces' runs is needed.
    func or(_ other: Runs) -> Runs { Runs(word: min(word, other.word), digit: min(digit, other.digit)) }
}

/// What one character of a piece is known to be, for runs: a digit (`\d`, `[0-9]`) is also a
/// word character (`\w`, `[A-Za-z0-9_]`).
private enum CharacterKind { case word, digit }

/// What the analysis knows about a piece of a pattern.
private struct Fragment {
    /// Every string the piece can match, when they are few and all literal.
    var exact: Set<[UInt8]>?
    /// When `exact` is unknown: sets of literals of which the text must contain one each.
    var required: [Set<[UInt8]>]
    /// Runs every match contains.
    var runs = Runs()
    /// Set when the piece is exactly one character of a kind, so that a repeat of it makes a run.
    var character: CharacterKind?

    static let unknown = Fragment(exact: nil, required: [])
    /// Matches only the empty string (anchors, `\b`, lookarounds, option settings).
    static let empty = Fragment(exact: [[]], required: [])

    /// Larger sets than this are given up (a phrase list of a few thousand words still fits).
    static let maximumStrings = 8_192

    /// Everything this piece guarantees about a text it matches in.
    var requirements: [Set<[UInt8]>] {
        if let exact { return Self.usable(exact) ? [exact] : [] }
        return required
    }

    /// A set is a requirement only if it cannot be met by matching nothing.
    static func usable(_ set: Set<[UInt8]>) -> Bool { !set.isEmpty && !set.contains([]) }

    /// Longer shortest literals are rarer in text; fewer literals are cheaper to scan for.
    static func selectivity(of set: Set<[UInt8]>) -> Double {
        let shortest = set.map(\.count).min() ?? 0
        return Double(shortest) - Double(set.count) / Double(maximumStrings + 1)
    }

    /// A set with a single letter or digit in it is met by nearly every text: scanning
    /// for it costs more than it saves.
    static func isCommon(_ set: Set<[UInt8]>) -> Bool {
        set.contains { $0.count == 1 && $0[0] < 0x80 && Unicode.Scalar($0[0]).properties.isAlphabetic }
            || set.contains { $0.count == 1 && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0[0]) }
    }

    /// Every concatenation of a string of `left` and one of `right`, if not too many.
    static func product(_ left: Set<[UInt8]>, _ right: Set<[UInt8]>) -> Set<[UInt8]>? {
        guard left.count * right.count <= maximumStrings else { return nil }
        // The empty string alone is the identity: nothing to join.
        if left.count == 1 && left.first!.isEmpty { return right }
        if right.count == 1 && right.first!.isEmpty { return left }
        var joined = Set<[UInt8]>(minimumCapacity: left.count * right.count)
        for prefix in left { for suffix in right { joined.insert(prefix + suffix) } }
        return joined
    }

    /// Each string of `set` with `suffix` after it: `product(set, [suffix])`, which never
    /// gives up on a set of at most `maximumStrings`.
    private static func appending(_ suffix: [UInt8], to set: Set<[UInt8]>) -> Set<[UInt8]> {
        if suffix.isEmpty { return set }
        if set.count == 1 && set.first!.isEmpty { return [suffix] }
        var joined = Set<[UInt8]>(minimumCapacity: set.count)
        for prefix in set { joined.insert(prefix + suffix) }
        return joined
    }

    static func sequence(_ items: [Fragment]) -> Fragment {
        var guaranteed: [Set<[UInt8]>] = []
        let runs = items.reduce(Runs()) { $0.and($1.runs) }
        var run: Set<[UInt8]> = [[]]        // what the current run of exact items matches
        var whole: Set<[UInt8]>? = [[]]     // the same for the whole sequence, while all are exact
        // Items of one string each (a literal character), joined here and appended to `run`
        // and `whole` at once, rather than one set built per character; it is the same as
        // their products one by one, which cannot give up while both sets are within the limit.
        var suffix: [UInt8] = []
        func flush() {
            guard !suffix.isEmpty else { return }
            run = appending(suffix, to: run)
            whole = whole.map { appending(suffix, to: $0) }
            suffix = []
        }
        func close(_ run: Set<[UInt8]>) { if usable(run) { guaranteed.append(run) } }
        for item in items {
            if let exact = item.exact {
                if exact.count == 1, run.count <= maximumStrings, (whole?.count ?? 0) <= maximumStrings {
                    suffix += exact.first!
                    continue
                }
                flush()
                if let joined = product(run, exact) {
                    run = joined
                } else {
                    close(run)
                    run = exact
                }
                whole = whole.flatMap { product($0, exact) }
            } else {
                flush()
                close(run)
                run = [[]]
                guaranteed += item.required
                whole = nil
            }
        }
        flush()
        if let whole { return Fragment(exact: whole, required: [], runs: runs) }
        close(run)
        return Fragment(exact: nil, required: guaranteed, runs: runs)
    }

    static func alternation(_ branches: [Fragment]) -> Fragment {
        let runs = branches.dropFirst().reduce(branches[0].runs) { $0.or($1.runs) }
        if branches.allSatisfy({ $0.exact != nil }) {
            let union = branches.reduce(into: Set<[UInt8]>()) { $0.formUnion($1.exact!) }
            if union.count <= maximumStrings { return Fragment(exact: union, required: [], runs: runs) }
        }
        // Each branch must contribute one set; a match contains a literal of one of them.
        var union = Set<[UInt8]>()
        for branch in branches {
            guard let best = branch.requirements.max(by: { selectivity(of: $0) < selectivity(of: $1) }) else {
                return Fragment(exact: nil, required: [], runs: runs)
            }
            union.formUnion(best)
        }
        return Fragment(exact: nil, required: union.count <= maximumStrings ? [union] : [], runs: runs)
    }

    func repeated(minimum: Int, maximum: Int?) -> Fragment {
        if maximum == 0 { return .empty }
        if minimum == 0 {
            // `x?` is x or nothing; longer optional repeats are unknown.
            if maximum == 1, var optional = exact, optional.count < Self.maximumStrings {
                optional.insert([])
                return Fragment(exact: optional, required: [])
            }
            return .unknown
        }
        if minimum == 1 && maximum == 1 { return self }
        var runs = self.runs
        switch character {
        case .word?: runs = runs.and(Runs(word: minimum, digit: 0))
        case .digit?: runs = runs.and(Runs(word: minimum, digit: minimum))
        case nil: break
        }
        return Fragment(exact: nil, required: requirements, runs: runs)
    }
}

/// The pattern is beyond what the analysis reads safely.
private struct UnsupportedSyntax: Error {}

/// A recursive-descent reader of PCRE2 pattern syntax, as much as the analysis needs.
private struct PatternParser {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ pattern: String) { scalars = Array(pattern.unicodeScalars) }

    var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    func peek(at offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    mutating func next() throws(UnsupportedSyntax) -> Unicode.Scalar {
        guard let scalar = peek else { throw UnsupportedSyntax() }
        position += 1
        return scalar
    }

    mutating func expect(_ scalar: Unicode.Scalar) throws(UnsupportedSyntax) {
        guard try next() == scalar else { throw UnsupportedSyntax() }
    }

    mutating func parsePattern() throws(UnsupportedSyntax) -> Fragment {
        let whole = try parseAlternation()
        guard peek == nil else { throw UnsupportedSyntax() }  // a stray `)`
        return whole
    }

    mutating func parseAlternation() throws(UnsupportedSyntax) -> Fragment {
        var branches = [try parseSequence()]
        while peek == "|" {
            position += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : Fragment.alternation(branches)
    }

    mutating func parseSequence() throws(UnsupportedSyntax) -> Fragment {
        var items: [Fragment] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            let atom = try parseAtom()
            items.append(try parseRepeats(of: atom))
        }
        return Fragment.sequence(items)
    }

    mutating func parseAtom() throws(UnsupportedSyntax) -> Fragment {
        let scalar = try next()
        switch scalar {
        case "(": return try parseGroup()
        case "[": return try parseClass()
        case "\\": return try parseEscape()
        case ".": return .unknown
        case "^", "$": return .empty
        case "*", "+", "?", "{": throw UnsupportedSyntax()  // nothing to repeat, or a literal brace
        default: return Self.literal(scalar)
        }
    }

    static func literal(_ scalar: Unicode.Scalar) -> Fragment {
        guard let bytes = LiteralFolding.literal(scalar) else { return .unknown }
        return Fragment(exact: [bytes], required: [])
    }

    /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy (`?`) or possessive (`+`).
    mutating func parseRepeats(of atom: Fragment) throws(UnsupportedSyntax) -> Fragment {
        var result = atom
        while let scalar = peek, "?*+{".unicodeScalars.contains(scalar) {
            position += 1
            var minimum = 0
            var maximum: Int? = nil
            switch scalar {
            case "?": maximum = 1
            case "*": break
            case "+": minimum = 1
            default:
                // Only the plain forms; `{,3}` and spaces mean different things across versions.
                guard let low = parseNumber() else { throw UnsupportedSyntax() }
                minimum = low
                maximum = low
                if peek == "," {
                    position += 1
                    maximum = parseNumber()
                }
                try expect("}")
            }
            if peek == "?" || peek == "+" { position += 1 }
            result = result.repeated(minimum: minimum, maximum: maximum)
        }
        return result
    }

    mutating func parseNumber() -> Int? {
        var value: Int?
        while let scalar = peek, let digit = Int(String(scalar)), scalar.isASCII, value ?? 0 < 100_000 {
            value = (value ?? 0) * 10 + digit
            position += 1
        }
        return value
    }

    /// After `(`.
    mutating func parseGroup() throws(UnsupportedSyntax) -> Fragment {
        var isLookaround = false
        var isNegative = false
        if peek == "*" { throw UnsupportedSyntax() }  // (*VERB), (*UTF), (*pla:...)
        if peek == "?" {
            position += 1
            let kind = try next()
            switch kind {
            case ":", "|", ">":
                break
            case "=", "!":
                isLookaround = true
                isNegative = kind == "!"
            case "<":
                if peek == "=" || peek == "!" {
                    isNegative = peek == "!"
                    position += 1
                    isLookaround = true
                } else {
                    try skipName(until: ">")
                }
            case "'":
                try skipName(until: "'")
            case "P":
                guard try next() == "<" else { throw UnsupportedSyntax() }  // (?P=name), (?P>name)
                try skipName(until: ">")
            case "#":
                while try next() != ")" {}
                return .empty
            default:
                // Option letters: (?i) (?-i) (?i:...). Case options do not matter to a
                // case-folded scan; extended mode (x) changes what a literal is.
                position -= 1
                while let letter = peek, "imnsUJ-^".unicodeScalars.contains(letter) { position += 1 }
                let end = try next()
                if end == ")" { return .empty }
                guard end == ":" else { throw UnsupportedSyntax() }
            }
        }
        let inner = try parseAlternation()
        try expect(")")
        guard isLookaround else { return inner }
        // What a positive lookaround looks at must be in the text too; it consumes nothing,
        // so it joins no run of literals around it.
        return isNegative ? .empty : Fragment(exact: nil, required: inner.requirements, runs: inner.runs)
    }

    mutating func skipName(until end: Unicode.Scalar) throws(UnsupportedSyntax) {
        while true {
            let scalar = try next()
            if scalar == end { return }
            guard scalar.properties.isAlphabetic || scalar == "_" || ("0"..."9").contains(scalar) else {
                throw UnsupportedSyntax()
            }
        }
    }

    /// After `\` outside a class.
    mutating func parseEscape() throws(UnsupportedSyntax) -> Fragment {
        let scalar = try next()
        if scalar.isASCII && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) {
            return Self.literal(scalar)  // \. \$ \( \\ ...
        }
        switch scalar {
        case "b", "B", "A", "z", "Z", "G", "K":
            return .empty
        case "w":
            return Fragment(exact: nil, required: [], character: .word)
        case "d":
            return Fragment(exact: nil, required: [], character: .digit)
        case "D", "W", "s", "S", "h", "H", "v", "V", "R", "X", "C":
            return .unknown
        case "N":
            if peek == "{" { throw UnsupportedSyntax() }  // \N{U+...}
            return .unknown
        case "p", "P":
            try skipProperty()
            return .unknown
        case "Q":
            var items: [Fragment] = []
            while peek != nil && !(peek == "\\" && peek(at: 1) == "E") { items.append(Self.literal(try next())) }
            if peek != nil { position += 2 }
            return Fragment.sequence(items)
        case "E":
            return .empty
        case "x":
            return Self.literal(try parseHexCharacter())
        case "1"..."9":
            // A back reference; \10 and up may be octal, which this does not read.
            if let after = peek, ("0"..."9").contains(after) { throw UnsupportedSyntax() }
            return .unknown
        case "g", "k":
            try skipReference()
            return .unknown
        default:
            if let control = Self.controlEscapes[scalar] { return Self.literal(control) }
            throw UnsupportedSyntax()
        }
    }

    static let controlEscapes: [Unicode.Scalar: Unicode.Scalar] =
        ["n": "\n", "t": "\t", "r": "\r", "f": "\u{0C}", "e": "\u{1B}", "a": "\u{07}"]

    /// After `\p` or `\P`: `{Name}`, `{^Name}` or one letter.
    mutating func skipProperty() throws(UnsupportedSyntax) {
        if try next() == "{" { while try next() != "}" {} }
    }

    /// After `\g` or `\k`: a back reference or subroutine call by number or name.
    mutating func skipReference() throws(UnsupportedSyntax) {
        let open = try next()
        let close: Unicode.Scalar
        switch open {
        case "{": close = "}"
        case "<": close = ">"
        case "'": close = "'"
        default:
            // \g1, \g-1
            guard open == "-" || open == "+" || ("0"..."9").contains(open) else { throw UnsupportedSyntax() }
            while let digit = peek, ("0"..."9").contains(digit) { position += 1 }
            return
        }
        while try next() != close {}
    }

    /// After `\x`: `{hex}` or up to two hex digits.
    mutating func parseHexCharacter() throws(UnsupportedSyntax) -> Unicode.Scalar {
        var digits = ""
        if peek == "{" {
            position += 1
            while let scalar = peek, scalar != "}" {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
            try expect("}")
        } else {
            while digits.count < 2, let scalar = peek, scalar.properties.isASCIIHexDigit {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
        }
        guard let value = UInt32(digits.isEmpty ? "0" : digits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw UnsupportedSyntax()
        }
        return scalar
    }

    /// After `[`. A class is a known set only when it lists characters that are all literals;
    /// negated classes, ranges beyond a few letters or digits, and class escapes are unknown.
    mutating func parseClass() throws(UnsupportedSyntax) -> Fragment {
        var members = Set<[UInt8]>()
        var leadingBytes = Set<[UInt8]>()
        var known = true
        // Whether every character the class matches is a digit / a word character (for runs).
        var allDigits = true
        var allWord = true
        if peek == "^" {
            position += 1
            known = false
            allDigits = false
            allWord = false
        }
        var first = true
        while true {
            var scalar = try next()
            if scalar == "]" && !first { break }
            first = false
            if scalar == "[", let kind = peek, ":.=".unicodeScalars.contains(kind) {
                // [:alpha:] and the like
                position += 1
                while true {
                    let inside = try next()
                    if inside == kind && peek == "]" { break }
                    // Not a POSIX class as PCRE2 reads it: do not guess where the class ends.
                    if inside == "]" || inside == "[" || inside == "\\" { throw UnsupportedSyntax() }
                }
                position += 1
                known = false
                allDigits = false
                allWord = false
                continue
            }
            if scalar == "\\" {
                let letter = peek
                guard let escaped = try classEscape() else {
                    known = false
                    if letter != "d" { allDigits = false }
                    if letter != "d" && letter != "w" { allWord = false }
                    continue
                }
                scalar = escaped
            }
            var last = scalar
            if peek == "-", let after = peek(at: 1), after != "]" {
                position += 1
                last = try next()
                if last == "\\" {
                    guard let escaped = try classEscape() else { throw UnsupportedSyntax() }  // [a-\d]
                    last = escaped
                }
                guard last.value >= scalar.value else { throw UnsupportedSyntax() }
            }
            for value in scalar.value...max(scalar.value, min(last.value, 0x7F)) where value <= 0x7F {
                let byte = UInt8(value)
                let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                if !isDigit { allDigits = false }
                if !isDigit && byte != UInt8(ascii: "_") && !Unicode.Scalar(byte).properties.isAlphabetic { allWord = false }
            }
            // Beyond ASCII every byte counts as a word character's, but ſ and K match s and k.
            if last.value > 0x7F { allDigits = false }
            guard known else { continue }
            let smallRange = last.value - scalar.value <= 25
            if !scalar.isASCII && !(smallRange && (scalar.value...last.value).allSatisfy({
                Unicode.Scalar($0).flatMap(LiteralFolding.literal) != nil })) {
                // Letters beyond ASCII (Cyrillic, Greek) and long runs of symbols (emoji):
                // the leading bytes of every character the range can match caselessly.
                guard let leads = CaseClosure.leadingBytes(of: scalar.value...last.value) else {
                    known = false
                    continue
                }
                leadingBytes.formUnion(leads)
                continue
            }
            if !smallRange {
                known = false
                continue
            }
            for value in scalar.value...last.value {
                guard let member = Unicode.Scalar(value), let bytes = LiteralFolding.literal(member) else {
                    known = false
                    break
                }
                members.insert(bytes)
            }
        }
        let character: CharacterKind? = allDigits ? .digit : allWord ? .word : nil
        guard known, !members.isEmpty || !leadingBytes.isEmpty else {
            return Fragment(exact: nil, required: [], character: character)
        }
        if leadingBytes.isEmpty { return Fragment(exact: members, required: [], character: character) }
        // A character's leading bytes are in the text whenever it is: a requirement, not an exact string.
        let literals = members.union(leadingBytes)
        return Fragment(exact: nil, required: literals.count <= 512 ? [literals] : [], character: character)
    }

    /// After `\` in a class: the character it stands for, or nil for a class of characters.
    mutating func classEscape() throws(UnsupportedSyntax) -> Unicode.Scalar? {
        let scalar = try next()
        if scalar.isASCII && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) { return scalar }
        switch scalar {
        case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "N", "R", "X":
            return nil
        case "p", "P":
            try skipProperty()
            return nil
        case "x":
            return try parseHexCharacter()
        default:
            if let control = Self.controlEscapes[scalar] { return control }
            throw UnsupportedSyntax()  // \b (backspace in a class), octal, \Q in a class...
        }
    }
}

/// Which characters PCRE2 may match caselessly to a character, worked out from Unicode's case
/// mappings as Swift knows them. Swift's Unicode data is at least as new as PCRE2's, and case
/// pairs are never removed from Unicode, so this is a superset of PCRE2's caseless sets.
enum CaseClosure {
    /// Large blocks in which no character changes when case mapped (ideographs, syllables,
    /// private use): skipped when `sources` is built, which the check costs for each of their
    /// characters otherwise. `CaseClosureTests` checks them against this Swift's Unicode data.
    static let caselessBlocks: [ClosedRange<UInt32>] = [
        0x3400...0x4DBF,    // CJK Unified Ideographs Extension A
        0x4E00...0x9FFF,    // CJK Unified Ideographs
        0xA000...0xA48F,    // Yi Syllables
        0xAC00...0xD7A3,    // Hangul Syllables
        0xE000...0xF8FF,    // Private Use Area
        0x12000...0x1254F,  // Cuneiform and its numbers
        0x13000...0x1342F,  // Egyptian Hieroglyphs
        0x17000...0x18AFF,  // Tangut and Tangut Components
    ]

    /// Characters that are the simple lower, upper or title case of another: target → sources.
    private static let sources: [UInt32: [UInt32]] = {
        var sources: [UInt32: [UInt32]] = [:]
        var value: UInt32 = 0x80
        var blocks = caselessBlocks[...]
        while value <= 0x1FFFF {
            if let block = blocks.first, value >= block.lowerBound {
                value = block.upperBound + 1
                blocks.removeFirst()
                continue
            }
            defer { value += 1 }
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            for target in mappings(of: scalar) { sources[target.value, default: []].append(value) }
        }
        return sources
    }()

    private static func mappings(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let properties = scalar.properties
        return [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping].compactMap {
            $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil
        }
    }

    /// Every character reachable from `scalar` through case mappings, either way.
    static func closure(of scalar: Unicode.Scalar) -> Set<Unicode.Scalar> {
        var found: Set<Unicode.Scalar> = [scalar]
        var queue = [scalar]
        while let next = queue.popLast() {
            let related = mappings(of: next) + (sources[next.value] ?? []).compactMap(Unicode.Scalar.init)
            for other in related where found.insert(other).inserted { queue.append(other) }
        }
        return found
    }

    /// The first bytes (one for a two-byte character, two or three for longer ones) of every
    /// character a class range matches caselessly; nil when an ASCII character is among them
    /// (ſ and K match s and k) or the range is too large to list.
    static func leadingBytes(of range: ClosedRange<UInt32>) -> Set<[UInt8]>? {
        guard range.count <= 0x3000 else { return nil }
        var leads = Set<[UInt8]>()
        for value in range {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let characters = scalar.properties.changesWhenCaseMapped ? closure(of: scalar) : [scalar]
            for character in characters {
                if character.isASCII { return nil }
                let bytes = Array(String(character).utf8)
                leads.insert(Array(bytes.prefix(bytes.count - 1)))
            }
        }
        return leads
    }
}
