/// WordPress's export (WXR, RSS with `wp:` elements): every `wp:comment` of every `item`,
/// with the post's id, title and link (README, "Input: WordPress").
final class WXRReader: CommentReader {
    private let scanner: XMLRecordScanner
    private let sourceName: String
    public let file: InputFile?
    /// The post whose comments are being read.
    private var post: (id: String?, title: String?, link: String?) = (nil, nil, nil)

    /// `maxCommentBytes`: a longer `wp:comment` goes to errors.jsonl cut to its first MiB, so
    /// that memory stays flat (WordPress itself keeps comments under 64 KB).
    public init(file: InputFile, maxCommentBytes: Int = 64 << 20, limitSetting: String? = nil) {
        self.file = file
        sourceName = file.source.displayName
        scanner = XMLRecordScanner(file: file, recordNames: ["title", "link", "wp:post_id", "wp:comment"],
                                   maxRecordBytes: maxCommentBytes, limitSetting: limitSetting)
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
