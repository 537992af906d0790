#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line to standard error (messages and the summary; queues are the real output).
/// Messages quote file names, ids, lock-file contents, PCRE2 messages and errors relayed from
/// the engine, so the whole message is made terminal-safe here (see `terminalSafe`): it stays
/// one line, and no control sequence in it reaches the terminal.
func printError(_ message: String) {
    let bytes = Array((message.terminalSafe + "\n").utf8)
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + written, $0.count - written) }
        if result <= 0 { return }
        written += result
    }
}
