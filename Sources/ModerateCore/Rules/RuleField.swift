/// What a rule can look at: a field as written, its normalised view, or what was found in it.
public enum RuleField: Hashable, Sendable, CustomStringConvertible {
    /// The field's text as the input has it (`body`).
    case raw(CommentField)
    /// The field seen through obfuscation (`body.normalized`; see `TextNormalizer`).
    /// Matches are reported at their place in the original text.
    case normalized(CommentField)
    /// Every link in the body and `author_url`, one per line.
    case links
    /// The links' hosts, one per line, lower case, without `www.`.
    case domains
    /// `ip-host`, `punycode`, `mixed-script`, one per line, for the links that have them.
    case linkFlags
    /// Not a text: where a signal rule's hit comes from (never named in `fields`).
    case signal(Signal)
    /// Not a text: the learned stage's hits are the tokens that carried its probability.
    case tokens

    public init?(name: String) {
        switch name {
        case "links": self = .links
        case "domains": self = .domains
        case "link_flags": self = .linkFlags
        default:
            if name.hasSuffix(".normalized"), let field = CommentField(rawValue: String(name.dropLast(11))) {
                self = .normalized(field)
            } else if let field = CommentField(rawValue: name) {
                self = .raw(field)
            } else {
                return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .raw(let field): return field.rawValue
        case .normalized(let field): return field.rawValue + ".normalized"
        case .links: return "links"
        case .domains: return "domains"
        case .linkFlags: return "link_flags"
        case .signal(let signal): return "signal:" + signal.rawValue
        case .tokens: return "tokens"
        }
    }

    /// A number per text a rule can look at (`signal` has none), for array-indexed caches.
    var ordinal: Int? {
        let fields = CommentField.allCases.count
        switch self {
        case .raw(let field): return field.index
        case .normalized(let field): return fields + field.index
        case .links: return 2 * fields
        case .domains: return 2 * fields + 1
        case .linkFlags: return 2 * fields + 2
        case .signal, .tokens: return nil
        }
    }

    static var ordinalCount: Int { 2 * CommentField.allCases.count + 3 }

    /// The comment field whose text a hit's offsets point into, if any.
    public var sourceField: CommentField? {
        switch self {
        case .raw(let field), .normalized(let field): return field
        case .links, .domains, .linkFlags, .signal, .tokens: return nil
        }
    }

    public static let names: [String] =
        CommentField.allCases.map(\.rawValue) + CommentField.allCases.map { $0.rawValue + ".normalized" }
        + ["links", "domains", "link_flags"]
}
