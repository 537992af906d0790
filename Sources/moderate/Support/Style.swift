import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When to colour output: `auto` colours only a terminal, and never when NO_COLOR is set.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
        }
    }
}

/// ANSI styles, or nothing at all when colour is off, so that piped output stays plain text.
struct Style {
    let enabled: Bool

    func highlight(_ text: String) -> String { wrap(text, "1;7") }   // bold, reversed
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func decision(_ text: String) -> String {
        switch text {
        case "approve": return wrap(text, "1;32")
        case "hold": return wrap(text, "1;33")
        case "reject": return wrap(text, "1;31")
        default: return bold(text)
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
