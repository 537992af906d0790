import CNcurses
import Foundation
import ModerateCore

/// The review screen, drawn with ncurses (ncursesw): curses knows the terminal from terminfo,
/// redraws only what changed, reports a resize as KEY_RESIZE, and with a UTF-8 locale draws
/// wide characters. Everything shown from a record is cut into `ScreenCell`s first
/// (`ScreenText`), so no control character from a comment reaches the terminal.
final class ReviewScreen {
    private let session: ReviewSession
    private let useColor: Bool
    private let currentFingerprint: String?
    private var highlight: Int32 = 0
    private var heading: Int32 = 0

    init(session: ReviewSession, useColor: Bool, currentFingerprint: String?) {
        self.session = session
        self.useColor = useColor
        self.currentFingerprint = currentFingerprint
    }

    /// Runs until `q` (or the end of input); leaves the terminal as it found it.
    func run() {
        setlocale(LC_ALL, "")
        initscr()
        cbreak()
        noecho()
        keypad(moderate_stdscr(), true)
        curs_set(0)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_YELLOW), -1)
            init_pair(2, Int16(COLOR_CYAN), -1)
            highlight = moderate_color_pair(1) | moderate_attr_bold()
            heading = moderate_color_pair(2) | moderate_attr_bold()
        } else {
            // No colour (NO_COLOR, or a terminal without): attributes only.
            highlight = moderate_attr_reverse()
            heading = moderate_attr_bold()
        }
        defer { endwin() }
        draw()
        while true {
            let key = getch()
            if key == ERR { return }   // the terminal is gone
            if key == KEY_RESIZE { draw(); continue }
            guard key >= 0, key < 0x80, let scalar = Unicode.Scalar(UInt32(key)) else { continue }
            if session.handle(key: Character(scalar)) == .quit { return }
            draw()
        }
    }

    private var width: Int { Int(moderate_columns()) }
    private var height: Int { Int(moderate_lines()) }

    private func draw() {
        erase()
        defer { refresh() }
        guard height >= 6, width >= 20 else {
            put(0, ScreenText.cells("window too small"), attributes: 0)
            return
        }
        let counts = session.counts
        let title = " moderate review: \(session.pending.count) left · \(counts.approved) approved · \(counts.rejected) rejected · \(counts.skipped) skipped "
        put(0, ScreenText.cells(title), attributes: moderate_attr_reverse(), fill: true)
        put(height - 1, ScreenText.cells(" a approve  r reject  s skip  u undo  ? help  q quit"), attributes: moderate_attr_reverse(), fill: true)
        if !session.message.isEmpty { put(height - 2, ScreenText.cells(session.message), attributes: moderate_attr_bold()) }
        if session.showingHelp { return drawHelp() }
        guard let held = session.current else {
            put(2, ScreenText.cells("Nothing left to review. u undoes the last decision, q quits."), attributes: 0)
            return
        }
        guard let item = session.currentItem else {
            put(2, ScreenText.cells("The hold.jsonl line of \(held.id) cannot be read as a queue record; s skips it."), attributes: 0)
            return
        }
        drawComment(item, held: held)
    }

    private func drawComment(_ item: ReviewItem, held: HeldComment) {
        var row = 1
        func field(_ label: String, _ value: String) {
            put(row, ScreenText.cells(label, highlights: [], keepLineBreaks: false) + ScreenText.cells(value), attributes: 0, labelLength: label.count)
            row += 1
        }
        field("Author: ", item.author + (item.email.isEmpty ? "" : "  <\(item.email)>"))
        field("URL:    ", item.url.isEmpty ? "(none)" : item.url)
        field("Date:   ", item.date + "   id " + item.id)
        field("Post:   ", item.postTitle.isEmpty ? item.post : "\(item.postTitle) (\(item.post))")
        // The rules that fired, under the body; at most a third of the screen.
        var ruleLines: [[ScreenCell?]] = []
        for rule in item.fired {
            let action = rule.action.map { " → \($0)" } ?? ""
            ruleLines.append(ScreenText.cells("  \(rule.rule)  score \(plain(rule.score))\(action)"))
            for hit in rule.hits.prefix(2) {
                let read = hit.readAs.map { "  read as \"\($0)\"" } ?? ""
                ruleLines.append(ScreenText.cells("      \(hit.field): \"\(hit.text)\"\(read)"))
            }
        }
        let stale = currentFingerprint.map { $0 != item.fingerprint } ?? false
        let ruleTitle = "Rules (\(item.reason))" + (stale ? "; held by other rules than --rules'" : "")
        let ruleRoom = min(ruleLines.count, max(1, (height - 8) / 3))
        let bodyTop = row + 1
        let bodyBottom = height - 3 - ruleRoom - 1   // last body row
        let body = ScreenText.wrap(ScreenText.cells(item.body, highlights: item.bodyHighlights, keepLineBreaks: true), width: width - 2)
        var bodyRow = bodyTop
        for (index, line) in body.enumerated() {
            if bodyRow > bodyBottom { break }
            if bodyRow == bodyBottom && index < body.count - 1 {
                put(bodyRow, ScreenText.cells("  … \(body.count - index) more lines"), attributes: moderate_attr_dim())
                break
            }
            put(bodyRow, [ScreenCell(text: " ", width: 1), ScreenCell(text: " ", width: 1)] + line, attributes: 0)
            bodyRow += 1
        }
        var ruleRow = bodyBottom + 1
        put(ruleRow, ScreenText.cells(ruleTitle), attributes: heading)
        ruleRow += 1
        for line in ruleLines.prefix(ruleRoom) {
            put(ruleRow, line, attributes: 0)
            ruleRow += 1
        }
    }

    private func drawHelp() {
        let lines = [
            "Keys",
            "  a        approve: the comment goes to approve.jsonl, its author becomes known",
            "  r        reject: the comment goes to reject.jsonl",
            "  s, space skip: leave it held, show the next",
            "  u        undo this session's last decision (the comment is held again)",
            "  ?        this help",
            "  q        quit (every decision is already written)",
            "",
            "Highlighted: the text a rule fired on. Decisions: decisions.jsonl in the queue directory.",
            "Any key goes back.",
        ]
        for (index, line) in lines.enumerated() where index + 2 < height - 2 {
            put(index + 2, ScreenText.cells(line), attributes: index == 0 ? heading : 0)
        }
    }

    /// Draws cells on a row, clipped to the width; highlighted cells in the highlight
    /// attribute, escapes dimmed; `labelLength` leading cells in the heading attribute.
    private func put(_ row: Int, _ cells: [ScreenCell?], attributes: Int32, fill: Bool = false, labelLength: Int = 0) {
        guard row >= 0, row < height else { return }
        var line = ScreenText.clip(cells, width: width)
        if fill {
            let used = line.reduce(0) { $0 + $1.width }
            if used < width { line += Array(repeating: ScreenCell(text: " ", width: 1), count: width - used) }
        }
        move(Int32(row), 0)
        for (index, cell) in line.enumerated() {
            var attribute = attributes
            if index < labelLength { attribute |= heading }
            if cell.highlighted { attribute |= highlight }
            if cell.escaped { attribute |= moderate_attr_dim() }
            attrset(attribute)
            addstr(cell.text)
        }
        attrset(0)
    }

    private func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
