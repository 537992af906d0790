/// Text from strangers (comments, ids, authors, export file names, lock files) and from rule
/// files, made safe to print on a terminal.
///
/// A terminal obeys what it is sent: ESC starts a control sequence (OSC 52 writes the
/// clipboard, others retitle the window or move the cursor), a C1 control (U+0080–U+009F)
/// does the same on some terminals, bidirectional overrides make text read in another order
/// than it is stored, and a line break inside an id would start a line of its own
/// (`decision: approve`) that looks like moderate's. So each of these is shown as an escape
/// instead: `\u{1B}`, `\u{9B}`, `\u{202E}`, and line breaks and tabs as `\n`, `\r`, `\t`.
/// The field then stays on its own line, and one record's fields cannot write a line of
/// another record, or another field of the same.
///
/// Backslashes are left as they are (patterns are full of them), so a comment that *writes*
/// `\u{1B}` looks like one that holds an ESC; both are harmless, which is the point.
extension String {
    var terminalSafe: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Self.needsEscape(scalar):
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The same, cut to its first `maxCharacters` characters with `…` when longer: for
    /// fields that have no length limit of their own (an id can be a megabyte).
    func terminalSafe(maxCharacters: Int) -> String {
        count > maxCharacters ? String(prefix(maxCharacters)).terminalSafe + "…" : terminalSafe
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F: return true       // C0 controls (ESC, BEL, …) and DEL
        case 0x80...0x9F: return true             // C1 controls (CSI, OSC, … on some terminals)
        case 0x202A...0x202E, 0x2066...0x2069: return true   // bidirectional embeddings, overrides, isolates
        case 0x2028, 0x2029: return true          // line and paragraph separators: line breaks to some viewers
        default: return false
        }
    }
}

/// How many characters of a field with no bound of its own (an id, a file name) are printed.
let maxPrintedFieldCharacters = 200
