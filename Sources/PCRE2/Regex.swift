import CPCRE2

/// How a pattern is compiled. UTF and MATCH_INVALID_UTF are always on: comments are
/// UTF-8 text that may contain invalid bytes, and PCRE2 then matches around them.
public struct RegexOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let caseless = RegexOptions(rawValue: PCRE2_CASELESS)
    /// `\w`, `\d`, `\b` and POSIX classes use Unicode properties, so they work in any script.
    public static let unicodeProperties = RegexOptions(rawValue: PCRE2_UCP)
    public static let multiline = RegexOptions(rawValue: PCRE2_MULTILINE)
    public static let dotAll = RegexOptions(rawValue: PCRE2_DOTALL)
    public static let extended = RegexOptions(rawValue: PCRE2_EXTENDED)
}

/// A pattern PCRE2 refused, with PCRE2's own message and where in the pattern it stopped.
public struct RegexCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// PCRE2's error code (a positive number for compile errors).
    public let code: Int32
    /// PCRE2's message, e.g. "missing closing parenthesis".
    public let message: String
    /// Where PCRE2 stopped, in bytes from the start of the pattern's UTF-8.
    public let byteOffset: Int
    /// The same place counted in Unicode scalars, as editors and YAML marks count columns.
    public let scalarOffset: Int

    public var description: String { "\(message) (at offset \(scalarOffset) in the pattern)" }
}

/// A compiled, JIT-compiled PCRE2 pattern. Immutable once built, so one instance is
/// shared by every thread; the per-thread state lives in `MatchSession`.
///
/// A regex may be made of several compiled parts (`init(anyOf:)`): PCRE2 as Debian builds it
/// caps one compiled pattern at 64 K code units, which a long phrase list can outgrow. A
/// match is then the leftmost match of any part (the longest, if two start together).
public final class Regex: @unchecked Sendable {
    public let pattern: String
    public let options: RegexOptions
    let parts: [OpaquePointer]
    /// False when the JIT refused a part; matching then uses the interpreter for it.
    public let isJITCompiled: Bool
    /// The regex whose `parts` these are, for a copy (`copy()`): it frees them, and this
    /// reference keeps it alive until the copy is gone. Nil for the regex that compiled them.
    private let owner: Regex?

    public init(_ pattern: String, options: RegexOptions = []) throws(RegexCompileError) {
        self.pattern = pattern
        self.options = options
        let code = try Self.compile(pattern, options: options)
        parts = [code]
        isJITCompiled = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0
        owner = nil
    }

    /// One regex that matches where any of `patterns` does.
    public init(anyOf patterns: [String], options: RegexOptions = []) throws(RegexCompileError) {
        pattern = patterns.joined(separator: "|")
        self.options = options
        var compiled: [OpaquePointer] = []
        do {
            for part in patterns { compiled.append(try Self.compile(part, options: options)) }
        } catch {
            for code in compiled { pcre2_code_free_8(code) }
            throw error
        }
        parts = compiled
        isJITCompiled = compiled.allSatisfy { pcre2_jit_compile_8($0, PCRE2_JIT_COMPLETE) == 0 }
        owner = nil
    }

    /// The same regex as an object of its own, for another thread: threads that share one
    /// Regex keep updating its reference count from several cores. The compiled (and JIT
    /// compiled) code is shared, not compiled again: PCRE2 only reads it while matching, and
    /// each thread's `MatchSession` has its own match data and JIT stack. Never nil (the
    /// optional is kept for callers written when a copy was a second compile).
    public func copy() -> Regex? {
        Regex(sharing: self)
    }

    private init(sharing original: Regex) {
        pattern = String(decoding: Array(original.pattern.utf8), as: UTF8.self)
        options = original.options
        parts = original.parts.map { $0 }
        isJITCompiled = original.isJITCompiled
        owner = original.owner ?? original
    }

    /// PCRE2's error code for a pattern that compiles to more than it can hold.
    public static let tooLargeErrorCode: Int32 = 120

    private static func compile(_ pattern: String, options: RegexOptions) throws(RegexCompileError) -> OpaquePointer {
        let compiled = try compileAsWritten(pattern, options: options)
        // PCRE2 10.42's JIT, with MATCH_INVALID_UTF and without UCP, never matches a character
        // beyond ASCII with a bare \W, \S or \D (`a\Wb` misses "a→b"; the interpreter and
        // `[\W]` are right). The same pattern with those written as one-escape classes means
        // exactly the same and is matched right; errors are still reported on the pattern as written.
        guard !options.contains(.unicodeProperties), !options.contains(.extended),
              let rewritten = JITWorkaround.classesForBareEscapes(in: pattern),
              let fixed = try? compileAsWritten(rewritten, options: options) else { return compiled }
        pcre2_code_free_8(compiled)
        return fixed
    }

    private static func compileAsWritten(_ pattern: String, options: RegexOptions) throws(RegexCompileError) -> OpaquePointer {
        let flags = options.rawValue | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled: OpaquePointer? = pattern.utf8.withContiguousStorageIfAvailable { bytes in
            pcre2_compile_8(bytes.baseAddress, bytes.count, flags, &errorCode, &errorOffset, nil)
        } ?? {
            var copy = Array(pattern.utf8)
            return pcre2_compile_8(&copy, copy.count, flags, &errorCode, &errorOffset, nil)
        }()
        guard let compiled else {
            let prefix = pattern.utf8.prefix(errorOffset)
            let scalars = String(decoding: prefix, as: UTF8.self).unicodeScalars.count
            throw RegexCompileError(
                code: errorCode, message: PCRE2Message.text(for: errorCode),
                byteOffset: errorOffset, scalarOffset: scalars)
        }
        // The JIT can refuse a pattern (e.g. out of executable memory); the interpreter
        // still matches it correctly, only slower (see `isJITCompiled`).
        return compiled
    }

    deinit {
        // A copy's parts are its owner's, freed when the owner goes.
        if owner == nil { for code in parts { pcre2_code_free_8(code) } }
    }

    /// True when the pattern can match an empty string (checked on an empty subject).
    public func matchesEmptyString(in session: MatchSession) -> Bool {
        if case .match = session.firstMatch(of: self, in: UnsafeBufferPointer(start: nil, count: 0)) {
            return true
        }
        return false
    }
}

/// PCRE2's messages for error codes, compile-time and match-time alike.
public enum PCRE2Message {
    public static func text(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }
}

/// See `Regex.compile`: rewrites bare `\W`, `\S` and `\D` as `[\W]`, `[\S]`, `[\D]`.
enum JITWorkaround {
    /// The rewritten pattern, or nil when there is nothing to rewrite or the pattern uses syntax
    /// this does not follow with certainty (then it is compiled as written).
    static func classesForBareEscapes(in pattern: String) -> String? {
        // Nothing to rewrite without a `\W`, `\S` or `\D` anywhere: the common case, told by
        // one pass over the bytes instead of the scalar-by-scalar walk below.
        var utf8 = pattern.utf8.makeIterator()
        var afterBackslash = false
        var mayRewrite = false
        while let byte = utf8.next() {
            if afterBackslash && (byte == UInt8(ascii: "W") || byte == UInt8(ascii: "S") || byte == UInt8(ascii: "D")) {
                mayRewrite = true
                break
            }
            afterBackslash = byte == UInt8(ascii: "\\")
        }
        guard mayRewrite else { return nil }
        let scalars = Array(pattern.unicodeScalars)
        var output = String.UnicodeScalarView()
        var changed = false
        var index = 0
        var inClass = false
        var classStart = 0   // index just after `[` (and `^`), where a `]` is still a literal
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                guard index + 1 < scalars.count else { return nil }
                let escaped = scalars[index + 1]
                if escaped == "c" { return nil }  // \cX takes the next character, even a backslash
                if escaped == "Q" {
                    // \Q...\E: literal text, copied as it is.
                    var end = index + 2
                    while end < scalars.count && !(scalars[end] == "\\" && end + 1 < scalars.count && scalars[end + 1] == "E") { end += 1 }
                    end = min(end + 2, scalars.count)
                    output.append(contentsOf: scalars[index..<end])
                    index = end
                    continue
                }
                if !inClass && (escaped == "W" || escaped == "S" || escaped == "D") {
                    output.append(contentsOf: ["[", "\\", escaped, "]"])
                    changed = true
                } else {
                    output.append(contentsOf: [scalar, escaped])
                }
                index += 2
                continue
            }
            if inClass {
                if scalar == "[", index + 1 < scalars.count, ":.=".unicodeScalars.contains(scalars[index + 1]) {
                    // A POSIX class such as [:alpha:]: copy it to its closing `:]`.
                    let kind = scalars[index + 1]
                    var end = index + 2
                    while end + 1 < scalars.count && !(scalars[end] == kind && scalars[end + 1] == "]") { end += 1 }
                    guard end + 1 < scalars.count else { return nil }
                    output.append(contentsOf: scalars[index...(end + 1)])
                    index = end + 2
                    continue
                }
                if scalar == "]" && index > classStart { inClass = false }
            } else if scalar == "[" {
                inClass = true
                classStart = index + 1
                if classStart < scalars.count && scalars[classStart] == "^" { classStart += 1 }
            } else if scalar == "(" && index + 2 < scalars.count && scalars[index + 1] == "?" {
                // Extended mode changes what `#` and spaces mean; comments may hold brackets.
                let rest = scalars[(index + 2)...].prefix { $0 != ")" && $0 != ":" }
                if rest.contains("x") || scalars[index + 2] == "#" { return nil }
            } else if scalar == "(" && index + 1 < scalars.count && scalars[index + 1] == "*" {
                return nil  // verbs such as (*UCP) change what \W means
            }
            output.append(scalar)
            index += 1
        }
        return changed ? String(output) : nil
    }
}

/// The PCRE2 library this program runs on, as `pcre2grep -V` reports it.
public enum PCRE2Library {
    /// `10.42 2022-12-11`: the version and release date of the linked libpcre2-8.
    public static var version: String {
        let length = pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), nil)
        guard length > 0 else { return "unknown" }
        var buffer = [UInt8](repeating: 0, count: Int(length))
        _ = buffer.withUnsafeMutableBytes { pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), $0.baseAddress) }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
