import Crypto

/// What makes a record "the same one" across runs: a comment's id, or, for input that is not
/// a comment, its place and bytes. 128 bits of SHA-256, so the journal stays small
/// (16 bytes a record) and nobody can make two ids collide.
struct RecordKey: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A comment's key. A derived id (`sha256:…`, for a comment that came without one) and a
    /// given id of the same text are different comments: otherwise an exporter's id written in
    /// the derived form would take the key of an id-less comment, and one of the two would be
    /// skipped as "already queued". Derived ids and every other given id keep the key they
    /// always had, so existing queue directories stay valid; only a given id of the derived
    /// form is keyed apart.
    public static func comment(id: String, derived: Bool = false) -> RecordKey {
        if !derived && id.hasPrefix(Comment.derivedIDPrefix) {
            return hashing(Array("given-comment\u{0}\(id)".utf8))
        }
        return hashing(Array("comment\u{0}\(id)".utf8))
    }

    public static func comment(_ comment: Comment) -> RecordKey {
        self.comment(id: comment.id, derived: comment.idWasDerived)
    }

    /// A record a person's decision appended (to approve, reject, or back to hold): one per
    /// line of `decisions.jsonl`, so it is never taken for the comment's own record, which is
    /// already queued under `comment(id:)`, nor for another decision on the same comment.
    public static func review(id: String, decisionLine: Int) -> RecordKey {
        hashing(Array("review\u{0}\(decisionLine)\u{0}\(id)".utf8))
    }

    /// A bad record is the same when it has the same line number and bytes.
    public static func inputError(_ error: InputError) -> RecordKey {
        hashing(Array("error\u{0}\(error.line)\u{0}".utf8) + error.raw)
    }

    /// Who an author is, for trust across runs: the e-mail address, or else name and IP
    /// together (a name alone is too easy to borrow).
    public static func knownAuthor(of comment: Comment) -> RecordKey? {
        knownAuthor(email: comment[.authorEmail], name: comment[.author], ip: comment[.ip])
    }

    static func knownAuthor(email: String?, name: String?, ip: String?) -> RecordKey? {
        if let email = email?.lowercased(), !email.isEmpty { return .hashing(Array("author-email\u{0}\(email)".utf8)) }
        if let name = name?.lowercased(), !name.isEmpty, let ip, !ip.isEmpty {
            return .hashing(Array("author-name-ip\u{0}\(name)\u{0}\(ip)".utf8))
        }
        return nil
    }

    static func hashing(_ bytes: [UInt8]) -> RecordKey {
        let digest = Array(SHA256.hash(data: bytes))
        return RecordKey(high: UInt64(bigEndianBytes: digest[0..<8]), low: UInt64(bigEndianBytes: digest[8..<16]))
    }

    var bytes: [UInt8] { high.bigEndianBytes + low.bigEndianBytes }
}

extension UInt64 {
    init<Bytes: Collection>(bigEndianBytes bytes: Bytes) where Bytes.Element == UInt8 {
        self = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) } }
}
