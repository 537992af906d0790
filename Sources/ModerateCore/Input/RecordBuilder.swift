/// A comment read from a non-JSON export, turned into the JSON record that goes to its queue:
/// the schema fields first, then what else the platform said, in the order it was added.
struct RecordBuilder {
    private var fields: [CommentField: String] = [:]
    private var extras: [(key: String, value: Value)] = []

    enum Value {
        case text(String)
        case flag(Bool)
        case object([(String, String)])
    }

    mutating func set(_ field: CommentField, _ value: String?) {
        if let value { fields[field] = value }
    }

    mutating func add(_ key: String, _ value: String?) {
        if let value { extras.append((key, .text(value))) }
    }

    /// Platform flags written `true`/`false` become JSON booleans; anything else stays text.
    mutating func addFlag(_ key: String, _ value: String?) {
        guard let value else { return }
        switch value.trimmingSpaces().lowercased() {
        case "true", "1": extras.append((key, .flag(true)))
        case "false", "0": extras.append((key, .flag(false)))
        default: extras.append((key, .text(value)))
        }
    }

    mutating func addObject(_ key: String, _ pairs: [(String, String)]) {
        if !pairs.isEmpty { extras.append((key, .object(pairs))) }
    }

    func build(source: String, line: Int, repair: String?) -> InputComment {
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        for field in CommentField.allCases {
            if let value = fields[field] { json.field(field.rawValue, value) }
        }
        for (key, value) in extras {
            json.key(key)
            switch value {
            case .text(let text): json.string(text)
            case .flag(let flag): json.bool(flag)
            case .object(let pairs):
                json.beginObject()
                for (name, text) in pairs { json.field(name, text) }
                json.endObject()
            }
        }
        json.endObject()
        return InputComment(comment: Comment(id: fields[.id], fields: fields), source: source, line: line,
                            originalJSON: json.bytes, repair: repair)
    }
}
