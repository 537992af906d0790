import PCRE2

/// `moderate --version`: this program's version and the PCRE2 it runs on (as `pcre2grep -V`).
enum Version {
    /// Raised with each release; queue records carry the rules' fingerprint, not this.
    static let number = "0.3.0"

    static var text: String { "moderate \(number) (PCRE2 \(PCRE2Library.version))" }
}
