/// Disqus's XML export: `thread` elements (a page: title, link) and `post` elements (the
/// comments), joined on the thread's `dsq:id`. Threads are kept in a small index (id to
/// title and link), never the posts; a post whose thread is missing, or comes later in the
/// file, is moderated all the same, without the title and link (README, "Input: Disqus").
final class DisqusReader: CommentReader {
    private let scanner: XMLRecordScanner
    private let sourceName: String
    public let file: InputFile?
    private var threads: [String: (title: String?, link: String?)] = [:]

    /// `maxCommentBytes`: a longer `post` goes to errors.jsonl cut to its first MiB.
    public init(file: InputFile, maxCommentBytes: Int = 64 << 20, limitSetting: String? = nil) {
        self.file = file
        sourceName = file.source.displayName
        scanner = XMLRecordScanner(file: file, recordNames: ["thread", "post"], nestedNames: ["thread"],
                                   maxRecordBytes: maxCommentBytes, limitSetting: limitSetting)
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
