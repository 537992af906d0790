import Crypto

/// The fields of a comment that rules can look at. Their names are the JSON keys of the
/// input schema (see README, "Input").
public enum CommentField: String, CaseIterable, Sendable, Hashable {
    case id, post, parent, author
    case authorEmail = "author_email"
    case authorURL = "author_url"
    case ip
    case userAgent = "user_agent"
    case date, body

    public static let names: [String] = allCases.map(\.rawValue)

    /// Position in `allCases`, for array-indexed lookups in the decider's inner loop.
    var index: Int {
        switch self {
        case .id: return 0
        case .post: return 1
        case .parent: return 2
        case .author: return 3
        case .authorEmail: return 4
        case .authorURL: return 5
        case .ip: return 6
        case .userAgent: return 7
        case .date: return 8
        case .body: return 9
        }
    }
}

/// One comment as the engine sees it: its id and the text of each field it has.
/// The original record (with any fields the engine does not know) stays with the reader,
/// which writes it back unchanged into the queue.
public struct Comment: Sendable {
    public var id: String
    public var fields: [CommentField: String]
    /// True when the input had no id and `id` was derived from the content.
    public var idWasDerived: Bool

    public init(id: String?, fields: [CommentField: String]) {
        self.fields = fields
        if let id, !id.isEmpty {
            self.id = id
            idWasDerived = false
        } else {
            self.id = Comment.derivedID(for: fields)
            idWasDerived = true
        }
    }

    public subscript(field: CommentField) -> String? { fields[field] }

    /// A stable id for a comment that came without one: the same content gives the same
    /// id on every run. SHA-256 so that nobody can craft a comment that takes another's id.
    public static func derivedID(for fields: [CommentField: String]) -> String {
        var hasher = SHA256()
        for field in CommentField.allCases where field != .id {
            guard let value = fields[field] else { continue }
            // Length-prefixed so that moving text between fields changes the id.
            hasher.update(data: Array("\(field.rawValue):\(value.utf8.count):".utf8))
            hasher.update(data: Array(value.utf8))
        }
        return derivedIDPrefix + hexString(hasher.finalize()).prefix(32)
    }

    /// How every derived id starts.
    public static let derivedIDPrefix = "sha256:"
}

func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
