import Foundation

/// Reads one JSON line as a comment (schema: README, "Input").
public enum JSONLineDecoder {
    /// `generalOnly` skips the fast reader (`FlatJSONObject`), for tests that compare the two.
    public static func decode(_ line: [UInt8], source: String, lineNumber: Int,
                              generalOnly: Bool = false) -> Result<InputComment, InputError> {
        func failure(_ reason: String) -> Result<InputComment, InputError> {
            .failure(InputError(source: source, line: lineNumber, reason: reason, raw: line))
        }
        var bytes = line
        var repair: String?
        if String(validating: bytes, as: UTF8.self) == nil {
            // Old exports carry Latin-1 and broken bytes. Replacing them keeps the comment
            // moderated instead of lost; the record says it happened.
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
            repair = "invalid UTF-8 replaced with U+FFFD"
        }
        if !generalOnly, let (fields, hasModeration) = FlatJSONObject.fields(in: bytes), !hasModeration, fields[.body] != nil {
            let comment = Comment(id: fields[.id], fields: fields)
            return .success(InputComment(comment: comment, source: source, line: lineNumber, originalJSON: bytes, repair: repair))
        }
        // Everything else (nested values, fractions, an old verdict, errors) the general way.
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            return failure("not valid JSON: \(Self.describe(error))")
        }
        guard var dictionary = object as? [String: Any] else { return failure("not a comment: a JSON object was expected") }
        let readKeys = Set(CommentField.names + ["moderation"])
        if let repeated = DuplicateKeys.topLevel(in: bytes).first(where: readKeys.contains) {
            return failure("not moderated: the key \"\(repeated)\" appears more than once, and JSON readers differ on which value counts (the site may show one, moderate would check the other)")
        }
        guard let bodyValue = dictionary["body"] else { return failure("not a comment: no \"body\" field") }
        guard bodyValue is String else { return failure("not a comment: \"body\" must be a string") }

        var fields: [CommentField: String] = [:]
        for field in CommentField.allCases {
            if let value = dictionary[field.rawValue].flatMap(Self.text) { fields[field] = value }
        }
        if dictionary["moderation"] != nil {
            // A queue file fed back in: its old verdict is replaced by the new one.
            dictionary["moderation"] = nil
            guard let rewritten = try? JSONSerialization.data(withJSONObject: dictionary, options: [.sortedKeys]) else {
                return failure("cannot rewrite record without its old \"moderation\" field")
            }
            bytes = Array(rewritten)
        }
        let comment = Comment(id: fields[.id], fields: fields)
        return .success(InputComment(comment: comment, source: source, line: lineNumber, originalJSON: bytes, repair: repair))
    }

    /// A field's value as text: strings as they are, numbers written plainly; other kinds
    /// (objects, lists, null, true/false) are not text a rule can match.
    private static func text(_ value: Any) -> String? {
        if let string = value as? String { return string }
        // JSON true/false also come as NSNumber (a boolean subclass); `is Bool` cannot tell
        // them from 0 and 1, the type's name can.
        if let number = value as? NSNumber, !String(describing: type(of: number)).contains("Boolean") {
            let double = number.doubleValue
            if double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
            return number.stringValue
        }
        return nil
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}
