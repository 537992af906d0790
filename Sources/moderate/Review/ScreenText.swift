import CNcurses

/// Text cut into terminal cells for the review screen: each cell is one character as it will
/// be drawn, its width in columns, and whether a rule fired on it. Untrusted text goes
/// through `terminalSafe` a character at a time, so a control character becomes the visible
/// escape `\u{1B}` (dimmed) and never reaches the terminal, and the column arithmetic counts
/// what is really drawn (wide CJK characters take two columns, by `wcwidth`).
struct ScreenCell: Equatable {
    var text: String
    var width: Int
    var highlighted = false
    /// Shown as an escape (`\u{1B}`), not as itself.
    var escaped = false
}

enum ScreenText {
    /// The cells of `text`; `highlights` are byte ranges of its UTF-8. With `keepLineBreaks`
    /// a line break is `nil` (a new screen line); otherwise it is shown as `\n`.
    static func cells(_ text: String, highlights: [Range<Int>] = [], keepLineBreaks: Bool = false) -> [ScreenCell?] {
        var cells: [ScreenCell?] = []
        var offset = 0
        var highlightIndex = 0
        for scalar in text.unicodeScalars {
            defer { offset += UTF8.width(scalar) }
            while highlightIndex < highlights.count && highlights[highlightIndex].upperBound <= offset { highlightIndex += 1 }
            let lit = highlightIndex < highlights.count && highlights[highlightIndex].contains(offset)
            if scalar == "\n" && keepLineBreaks { cells.append(nil); continue }
            if scalar == "\r" && keepLineBreaks { continue }
            let plain = String(scalar)
            let safe = plain.terminalSafe
            let width = Int(moderate_wcwidth(scalar.value))
            if safe == plain && width >= 0 {
                if width == 0, let last = cells.last, var previous = last {
                    // A combining mark goes with the character before it.
                    previous.text += plain
                    cells[cells.count - 1] = previous
                } else if width > 0 {
                    cells.append(ScreenCell(text: plain, width: width, highlighted: lit))
                }
            } else {
                // An escape for something unprintable (or a character this terminal's locale cannot show).
                let shown = safe == plain ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : safe
                for character in shown { cells.append(ScreenCell(text: String(character), width: 1, highlighted: lit, escaped: true)) }
            }
        }
        return cells
    }

    /// Lines of at most `width` columns, broken after a space where one is near the end.
    static func wrap(_ cells: [ScreenCell?], width: Int) -> [[ScreenCell]] {
        guard width > 0 else { return [] }
        var lines: [[ScreenCell]] = []
        var line: [ScreenCell] = []
        var used = 0
        for cell in cells {
            guard let cell else {
                lines.append(line)
                line = []
                used = 0
                continue
            }
            if used + cell.width > width {
                if let space = line.lastIndex(where: { $0.text == " " }), space > line.count / 2 {
                    lines.append(Array(line[...space]))
                    line = Array(line[(space + 1)...])
                } else {
                    lines.append(line)
                    line = []
                }
                used = line.reduce(0) { $0 + $1.width }
            }
            line.append(cell)
            used += cell.width
        }
        lines.append(line)
        return lines
    }

    /// One line: the cells that fit in `width`, with `…` when some did not.
    static func clip(_ cells: [ScreenCell?], width: Int) -> [ScreenCell] {
        let all = cells.map { $0 ?? ScreenCell(text: " ", width: 1) }
        if all.reduce(0, { $0 + $1.width }) <= width { return all }
        var line: [ScreenCell] = []
        var used = 0
        for cell in all {
            if used + cell.width > width - 1 { break }
            line.append(cell)
            used += cell.width
        }
        if width > 0 { line.append(ScreenCell(text: "…", width: 1)) }
        return line
    }
}
