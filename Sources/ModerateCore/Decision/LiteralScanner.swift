import PCRE2

/// Finds which of many literals occur in a text, in one pass over its bytes (an Aho–Corasick
/// automaton, built once per rule set and shared by all threads). Each literal belongs to one
/// or more groups; a scan reports the groups that had a literal in the text.
/// The text is read as `LiteralFolding` says: ASCII letters in lower case, ſ as `s`, K as `k`.
final class LiteralScanner: Sendable {
    /// Groups are reported in a bit set of this many 64-bit words.
    let wordCount: Int
    /// Byte → column of `transitions`; bytes in no literal share column 0 (back to the root).
    private let columnOfByte: [UInt8]
    private let columnCount: Int
    /// The automaton as a full table: `transitions[state * columnCount + column]` holds the
    /// next state's row start (`state * columnCount`), plus `foundFlag` when reaching it finds
    /// groups, so the common step is one load.
    private let transitions: [UInt32]
    private static let foundFlag: UInt32 = 1 << 31
    /// Per state, the groups found on reaching it: `groupsFound[groupStart[s]..<groupStart[s + 1]]`.
    private let groupStart: [UInt32]
    private let groupsFound: [UInt32]

    /// `literals[i]` are the (folded, non-empty) literals of group `i`.
    init(groups literals: [[[UInt8]]]) {
        wordCount = max(1, (literals.count + 63) / 64)

        var columns = [UInt8](repeating: 0, count: 256)
        var nextColumn = 1
        for group in literals { for literal in group { for byte in literal where columns[Int(byte)] == 0 {
            columns[Int(byte)] = UInt8(nextColumn)
            nextColumn += 1
        } } }
        columnOfByte = columns
        columnCount = nextColumn

        // The trie of all literals, with the groups ending at each node.
        var children: [[Int: Int]] = [[:]]
        var ends: [[UInt32]] = [[]]
        for (group, groupLiterals) in literals.enumerated() {
            for literal in groupLiterals where !literal.isEmpty {
                var node = 0
                for byte in literal {
                    let column = Int(columns[Int(byte)])
                    if let child = children[node][column] {
                        node = child
                    } else {
                        children.append([:])
                        ends.append([])
                        children[node][column] = children.count - 1
                        node = children.count - 1
                    }
                }
                ends[node].append(UInt32(group))
            }
        }

        // Breadth first: each state's failure link, its full row of transitions, and the
        // groups of every literal ending there (its own and its failure chain's).
        let stateCount = children.count
        var table = [UInt32](repeating: 0, count: stateCount * nextColumn)
        var failure = [Int](repeating: 0, count: stateCount)
        var found = ends
        var queue: [Int] = []
        for (column, child) in children[0] {
            table[column] = UInt32(child)
            queue.append(child)
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            if found[state].count > 1 || !found[failure[state]].isEmpty {
                found[state] = Array(Set(found[state] + found[failure[state]]))
            }
            // The failure state's row (complete: it is nearer the root), then the children.
            let row = state * nextColumn
            let failureRow = failure[state] * nextColumn
            for column in 0..<nextColumn { table[row + column] = table[failureRow + column] }
            for (column, child) in children[state] {
                failure[child] = Int(table[failureRow + column])
                table[row + column] = UInt32(child)
                queue.append(child)
            }
        }
        precondition(stateCount * nextColumn < Int(Self.foundFlag), "literal automaton too large")
        transitions = table.map { next in
            UInt32(next) * UInt32(nextColumn) | (found[Int(next)].isEmpty ? 0 : Self.foundFlag)
        }

        var starts: [UInt32] = [0]
        var flat: [UInt32] = []
        for state in 0..<stateCount {
            flat += found[state].sorted()
            starts.append(UInt32(flat.count))
        }
        groupStart = starts
        groupsFound = flat
    }

    private init(copying other: LiteralScanner) {
        wordCount = other.wordCount
        columnOfByte = other.columnOfByte.map { $0 }
        columnCount = other.columnCount
        transitions = other.transitions.map { $0 }
        groupStart = other.groupStart.map { $0 }
        groupsFound = other.groupsFound.map { $0 }
    }

    /// The same automaton in arrays of its own (see `RulePrefilter.copyForAnotherThread`).
    func copyForAnotherThread() -> LiteralScanner { LiteralScanner(copying: self) }

    /// Bytes that can belong to a word character (ASCII letters, digits, `_`, anything beyond
    /// ASCII) and to a digit (ASCII digits, anything beyond ASCII): bit 0 and bit 1.
    private static let runKinds: [UInt8] = (0...255).map { byte in
        if byte >= 0x80 || (0x30...0x39).contains(byte) { return 3 }
        return (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F ? 1 : 0
    }

    /// Sets in `present` (of `wordCount` words, cleared by the caller) the bit of every group
    /// with a literal in `text`, and gives the longest runs of word and digit bytes in it (at
    /// least as long as its longest runs of word characters and of digits).
    @discardableResult
    func scan(_ text: UnsafeBufferPointer<UInt8>, into present: UnsafeMutableBufferPointer<UInt64>) -> CharacterRuns {
        var runs = CharacterRuns()
        guard let base = text.baseAddress else { return runs }
        Self.runKinds.withUnsafeBufferPointer { runKinds in
        transitions.withUnsafeBufferPointer { transitions in
            groupStart.withUnsafeBufferPointer { groupStart in
              groupsFound.withUnsafeBufferPointer { groupsFound in
                columnOfByte.withUnsafeBufferPointer { columnOfByte in
                    var row = 0   // the current state's row in `transitions`
                    var index = 0
                    let count = text.count
                    var wordRun = 0
                    var digitRun = 0
                    while index < count {
                        var byte = base[index]
                        index += 1
                        let kind = runKinds[Int(byte)]
                        wordRun = kind & 1 == 0 ? 0 : wordRun + 1
                        digitRun = kind & 2 == 0 ? 0 : digitRun + 1
                        if wordRun > runs.word { runs.word = wordRun }
                        if digitRun > runs.digit { runs.digit = digitRun }
                        if byte >= 0x80 {
                            // ſ (C5 BF) and K (E2 84 AA) match s and k caselessly in PCRE2.
                            if byte == 0xC5, index < count, base[index] == 0xBF {
                                byte = UInt8(ascii: "s")
                                index += 1
                            } else if byte == 0xE2, index + 1 < count, base[index] == 0x84, base[index + 1] == 0xAA {
                                byte = UInt8(ascii: "k")
                                index += 2
                            }
                        } else {
                            byte = LiteralFolding.lowercase(byte)
                        }
                        let next = transitions[row + Int(columnOfByte[Int(byte)])]
                        row = Int(next & ~Self.foundFlag)
                        if next & Self.foundFlag != 0 {
                            let state = row / columnCount
                            for index in Int(groupStart[state])..<Int(groupStart[state + 1]) {
                                let group = groupsFound[index]
                                present[Int(group >> 6)] |= 1 << UInt64(group & 63)
                            }
                        }
                    }
                }
              }
            }
        }
        }
        return runs
    }
}

/// The longest runs of word and digit bytes in a text (see `LiteralScanner.scan`).
struct CharacterRuns {
    var word = 0
    var digit = 0
}
