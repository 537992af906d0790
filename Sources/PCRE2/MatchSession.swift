import CPCRE2

/// Bounds on the work one match may do, so that no comment can stall a batch.
public struct MatchLimits: Sendable, Equatable {
    /// PCRE2's match limit: how many times its internal match function may be called.
    /// Under the JIT, 1,000,000 costs at most about a millisecond and a half.
    public var matchLimit: UInt32
    /// Heap the interpreter may use for backtracking, in KiB (the JIT uses its stack).
    public var heapLimitKiB: UInt32
    /// The most JIT stack one thread may grow to, in bytes.
    public var jitStackBytes: Int
    /// The most CPU time one comment may take across all rules, in milliseconds
    /// (`limits.comment_time_ms`); enforced by the decider between rules.
    public var commentTimeMilliseconds: UInt32

    public init(matchLimit: UInt32 = 1_000_000, heapLimitKiB: UInt32 = 64 * 1024, jitStackBytes: Int = 8 << 20,
                commentTimeMilliseconds: UInt32 = 2000) {
        self.matchLimit = matchLimit
        self.heapLimitKiB = heapLimitKiB
        self.jitStackBytes = jitStackBytes
        self.commentTimeMilliseconds = commentTimeMilliseconds
    }

    public static let standard = MatchLimits()
}

/// Why a match could not be completed. The subject was not shown to match or not to match.
public enum MatchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case matchLimit
    case resourceLimit(String)
    case other(code: Int32, message: String)

    public var description: String {
        switch self {
        case .matchLimit: return "match limit exceeded"
        case .resourceLimit(let what): return what
        case .other(_, let message): return message
        }
    }
}

public enum MatchResult: Sendable, Equatable {
    /// Byte offsets of the whole match in the subject.
    case match(Range<Int>)
    case noMatch
    case failed(MatchFailure)
}

/// The per-thread state of matching: match data, a match context with the limits, and a
/// JIT stack. Not thread-safe: give each thread its own session; share the `Regex`es.
public final class MatchSession {
    private let matchData: OpaquePointer
    private let context: OpaquePointer
    private let jitStack: OpaquePointer?
    public let limits: MatchLimits

    public init(limits: MatchLimits = .standard) {
        self.limits = limits
        // One ovector pair: rules only need where the whole match is.
        matchData = pcre2_match_data_create_8(1, nil)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
        // The default 32 KiB JIT stack runs out on long comments for patterns such as
        // `(?:a|b)*c`; a bigger one (grown on demand up to the limit) avoids most of that,
        // and the interpreter takes over for the rest (see `firstMatch`).
        jitStack = pcre2_jit_stack_create_8(32 * 1024, limits.jitStackBytes, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(context)
        pcre2_match_data_free_8(matchData)
    }

    /// The first match of `regex` in `subject` at or after byte `start`. No copy is made.
    public func firstMatch(of regex: Regex, in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> MatchResult {
        if regex.parts.count == 1 { return firstMatch(of: regex.parts[0], in: subject, from: start) }
        // Several parts: the leftmost match wins, the longer one if two start together.
        var best: Range<Int>?
        for code in regex.parts {
            switch firstMatch(of: code, in: subject, from: start) {
            case .match(let range):
                if let current = best, current.lowerBound < range.lowerBound
                    || (current.lowerBound == range.lowerBound && current.upperBound >= range.upperBound) {
                    continue
                }
                best = range
            case .noMatch:
                continue
            case .failed(let failure):
                return .failed(failure)
            }
        }
        return best.map(MatchResult.match) ?? .noMatch
    }

    private func firstMatch(of code: OpaquePointer, in subject: UnsafeBufferPointer<UInt8>, from start: Int) -> MatchResult {
        guard let base = subject.baseAddress else {
            // PCRE2 wants a non-null pointer even for an empty subject.
            var nothing: UInt8 = 0
            return withUnsafePointer(to: &nothing) {
                firstMatch(of: code, in: UnsafeBufferPointer(start: $0, count: 0), from: start)
            }
        }
        var rc = pcre2_match_8(code, base, subject.count, start, 0, matchData, context)
        if rc == PCRE2_ERROR_JIT_STACKLIMIT {
            // Out of JIT stack on a long subject: the interpreter keeps its backtracking
            // state on the heap, bounded by the heap limit, so try again there.
            rc = pcre2_match_8(code, base, subject.count, start, PCRE2_NO_JIT, matchData, context)
        }
        if rc >= 0 {
            // rc == 0 means the ovector was too small for the groups; the whole match is still there.
            let ovector = pcre2_get_ovector_pointer_8(matchData)!
            return .match(Int(ovector[0])..<Int(ovector[1]))
        }
        switch rc {
        case PCRE2_ERROR_NOMATCH: return .noMatch
        case PCRE2_ERROR_MATCHLIMIT: return .failed(.matchLimit)
        case PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_JIT_STACKLIMIT, PCRE2_ERROR_NOMEMORY:
            return .failed(.resourceLimit(PCRE2Message.text(for: rc)))
        default:
            return .failed(.other(code: rc, message: PCRE2Message.text(for: rc)))
        }
    }

    /// Every non-overlapping match, in order, stopping at the first failure.
    /// An empty match moves the search on by one character so the loop always ends.
    public func allMatches(of regex: Regex, in subject: UnsafeBufferPointer<UInt8>,
                           maximum: Int = .max) -> (matches: [Range<Int>], failure: MatchFailure?) {
        var matches: [Range<Int>] = []
        var position = 0
        while position <= subject.count && matches.count < maximum {
            switch firstMatch(of: regex, in: subject, from: position) {
            case .noMatch:
                return (matches, nil)
            case .failed(let failure):
                return (matches, failure)
            case .match(let range):
                matches.append(range)
                if range.isEmpty {
                    position = range.upperBound + 1
                    // Skip UTF-8 continuation bytes so the next search starts on a character.
                    while position < subject.count && subject[position] & 0xC0 == 0x80 { position += 1 }
                } else {
                    position = range.upperBound
                }
            }
        }
        return (matches, nil)
    }

    /// Convenience for tests and tools: matches a Swift string's UTF-8 in place.
    public func firstMatch(of regex: Regex, in text: String) -> MatchResult {
        var text = text
        return text.withUTF8 { firstMatch(of: regex, in: $0) }
    }
}
