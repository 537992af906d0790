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

/// WordPress's export (WXR, RSS with `wp:` elements): every `wp:comment` of every `item`,
/// with the post's id, title and link (README, "Input: WordPress").
public final class WXRReader: CommentReader {
    private let scanner: XMLRecordScanner
    private let sourceName: String
    public let file: InputFile?
    /// The post whose comments are being read.
    private var post: (id: String?, title: String?, link: String?) = (nil, nil, nil)

    /// `maxCommentBytes`: a longer `wp:comment` goes to errors.jsonl cut to its first MiB, so
    /// that memory stays flat (WordPress itself keeps comments under 64 KB).
    public init(file: InputFile, maxCommentBytes: Int = 64 << 20) {
        self.file = file
        sourceName = file.source.displayName
        scanner = XMLRecordScanner(file: file, recordNames: ["title", "link", "wp:post_id", "wp:comment"],
                                   maxRecordBytes: maxCommentBytes)
    }

    public func next() throws -> InputItem? {
        while let event = try scanner.next() {
            switch event {
            case .open("item"), .close("item"):
                post = (nil, nil, nil)
            case .open, .close:
                break
            case .broken(let reason, let line, let raw):
                return .error(InputError(source: sourceName, line: line, reason: reason, raw: raw))
            case .record(let name, let parent, let bytes, let line):
                if name == "wp:comment" {
                    return item(fromComment: bytes, line: line)
                }
                // The post's own fields; the channel has a title and link too.
                guard parent == "item",
                      case .success(let (element, _)) = ParsedElement.parse(bytes, rootStartTag: scanner.rootStartTag, rootName: scanner.rootName, encoding: scanner.declaredEncoding)
                else { continue }
                switch name {
                case "title": post.title = element.text
                case "link": post.link = element.text.trimmingSpaces()
                default: post.id = element.text.trimmingSpaces()
                }
            }
        }
        return nil
    }

    private func item(fromComment bytes: [UInt8], line: Int) -> InputItem {
        let element: ParsedElement, repair: String?
        switch ParsedElement.parse(bytes, rootStartTag: scanner.rootStartTag, rootName: scanner.rootName, encoding: scanner.declaredEncoding) {
        case .failure(let broken): return .error(InputError(source: sourceName, line: line, reason: broken.reason, raw: bytes))
        case .success(let parsed): (element, repair) = parsed
        }
        guard let content = element.text(of: "wp:comment_content") else {
            return .error(InputError(source: sourceName, line: line, reason: "not a comment: no <wp:comment_content>", raw: bytes))
        }
        func value(_ name: String) -> String? { element.text(of: "wp:" + name)?.trimmingSpaces() }
        var record = RecordBuilder()
        record.set(.id, value("comment_id"))
        record.set(.post, post.id)
        // WordPress writes parent 0 for a top-level comment.
        if let parent = value("comment_parent"), !parent.isEmpty, parent != "0" { record.set(.parent, parent) }
        record.set(.author, element.text(of: "wp:comment_author"))
        record.set(.authorEmail, value("comment_author_email"))
        record.set(.authorURL, value("comment_author_url"))
        record.set(.ip, value("comment_author_IP"))
        record.set(.date, value("comment_date_gmt").flatMap { $0.isEmpty || $0.hasPrefix("0000") ? nil : $0 } ?? value("comment_date"))
        record.set(.body, content)
        record.add("post_title", post.title)
        record.add("post_link", post.link)
        record.add("wp_approved", value("comment_approved"))
        let type = value("comment_type") ?? ""
        record.add("wp_type", type.isEmpty ? "comment" : type)
        record.add("wp_date_local", value("comment_date"))
        if let user = value("comment_user_id"), user != "0", !user.isEmpty { record.add("wp_user_id", user) }
        let meta = element.children.filter { $0.name == "wp:commentmeta" }.compactMap { meta -> (String, String)? in
            guard let key = meta.text(of: "wp:meta_key") else { return nil }
            return (key, meta.text(of: "wp:meta_value") ?? "")
        }
        record.addObject("wp_meta", meta)
        return .comment(record.build(source: sourceName, line: line, repair: repair))
    }
}

/// Disqus's XML export: `thread` elements (a page: title, link) and `post` elements (the
/// comments), joined on the thread's `dsq:id`. Threads are kept in a small index (id to
/// title and link), never the posts; a post whose thread is missing, or comes later in the
/// file, is moderated all the same, without the title and link (README, "Input: Disqus").
public final class DisqusReader: CommentReader {
    private let scanner: XMLRecordScanner
    private let sourceName: String
    public let file: InputFile?
    private var threads: [String: (title: String?, link: String?)] = [:]

    /// `maxCommentBytes`: a longer `post` goes to errors.jsonl cut to its first MiB.
    public init(file: InputFile, maxCommentBytes: Int = 64 << 20) {
        self.file = file
        sourceName = file.source.displayName
        scanner = XMLRecordScanner(file: file, recordNames: ["thread", "post"], nestedNames: ["thread"],
                                   maxRecordBytes: maxCommentBytes)
    }

    public func next() throws -> InputItem? {
        while let event = try scanner.next() {
            switch event {
            case .open, .close:
                break
            case .broken(let reason, let line, let raw):
                return .error(InputError(source: sourceName, line: line, reason: reason, raw: raw))
            case .record(let name, _, let bytes, let line):
                switch ParsedElement.parse(bytes, rootStartTag: scanner.rootStartTag, rootName: scanner.rootName, encoding: scanner.declaredEncoding) {
                case .failure(let broken):
                    // A broken thread loses only its title and link; its posts still come.
                    return .error(InputError(source: sourceName, line: line, reason: broken.reason, raw: bytes))
                case .success(let (element, repair)):
                    if name == "thread" {
                        if let id = element.attributes["dsq:id"], !id.isEmpty {
                            threads[id] = (element.text(of: "title"), element.text(of: "link")?.trimmingSpaces())
                        }
                    } else if name == "post" {
                        return item(fromPost: element, bytes: bytes, line: line, repair: repair)
                    }
                }
            }
        }
        return nil
    }

    private func item(fromPost post: ParsedElement, bytes: [UInt8], line: Int, repair: String?) -> InputItem {
        guard let message = post.text(of: "message") else {
            return .error(InputError(source: sourceName, line: line, reason: "not a comment: no <message>", raw: bytes))
        }
        let author = post.child("author")
        let threadID = post.child("thread")?.attributes["dsq:id"]
        var record = RecordBuilder()
        // The Disqus id; an empty one gets an id derived from the content (README, "Input").
        record.set(.id, post.attributes["dsq:id"]?.trimmingSpaces())
        record.set(.post, threadID)
        record.set(.parent, post.child("parent")?.attributes["dsq:id"])
        record.set(.author, author?.text(of: "name"))
        record.set(.authorEmail, author?.text(of: "email")?.trimmingSpaces())
        record.set(.ip, post.text(of: "ipAddress")?.trimmingSpaces())
        record.set(.date, post.text(of: "createdAt")?.trimmingSpaces())
        record.set(.body, message)
        if let threadID, let thread = threads[threadID] {
            record.add("post_title", thread.title)
            record.add("post_link", thread.link)
        } else {
            record.addFlag("disqus_thread_found", "false")
        }
        record.add("author_username", author?.text(of: "username"))
        record.addFlag("author_is_anonymous", author?.text(of: "isAnonymous"))
        if let external = post.text(of: "id")?.trimmingSpaces(), !external.isEmpty { record.add("disqus_import_id", external) }
        record.addFlag("disqus_is_spam", post.text(of: "isSpam"))
        record.addFlag("disqus_is_deleted", post.text(of: "isDeleted"))
        return .comment(record.build(source: sourceName, line: line, repair: repair))
    }
}
