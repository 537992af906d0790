#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts an XML export into its records (a WordPress `wp:comment`, a Disqus `post`) without
/// holding the document: it finds tags, CDATA sections, comments and processing
/// instructions, and hands out each record element's bytes whole. Each record is then
/// parsed on its own (`XMLElement.parse`), so that one broken record costs only itself:
/// an XML parser stops for good at the first error, and an export must go on after it.
///
/// Memory holds one record (plus a read chunk), whatever the size of the file.
final class XMLRecordScanner {
    enum Event {
        /// An element outside any record opened or closed (`item`, `channel`...).
        case open(String)
        case close(String)
        /// A whole record element: its name, the element it is in, its bytes, the line it starts on.
        case record(name: String, parent: String?, bytes: [UInt8], line: Int)
        /// Bytes that cannot be a record: why, where, and the bytes themselves.
        case broken(reason: String, line: Int, raw: [UInt8])
    }

    /// The document's first start tag (`<rss ...>`, `<disqus ...>`): it declares the
    /// namespaces, so each record is parsed inside a copy of it.
    private(set) var rootStartTag: [UInt8] = []
    private(set) var rootName: String?
    /// The encoding the XML declaration names, when it is not UTF-8 (old exports say
    /// ISO-8859-1 or windows-1252); records are turned into UTF-8 before they are parsed.
    private(set) var declaredEncoding: String.Encoding?

    private let file: InputFile
    private let recordNames: Set<String>
    /// Record names that may also appear inside another record, as part of it (a Disqus
    /// `post` holds `<thread dsq:id="..."/>`).
    private let nestedNames: Set<String>
    private var buffer: [UInt8] = []
    private var position = 0
    private var line = 1
    private var reachedEnd = false
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)
    /// Elements open outside any record, outermost first.
    private var openElements: [String] = []
    private var pending: [Event] = []
    private var record: (name: String, start: Int, line: Int)?
    private var finished = false
    /// A record longer than this is not kept whole: memory must stay flat whatever the input.
    private let maxRecordBytes: Int
    /// How much of an over-long record errors.jsonl gets.
    private let keptBytes: Int
    /// How a person raises the limit (`ReadOptions.recordLimitSetting`).
    private let limitSetting: String?

    private struct RecordTooLong: Error {}

    init(file: InputFile, recordNames: Set<String>, nestedNames: Set<String> = [],
         maxRecordBytes: Int = 64 << 20, keptBytes: Int = 1 << 20, limitSetting: String? = nil) {
        self.limitSetting = limitSetting
        self.file = file
        self.recordNames = recordNames
        self.nestedNames = nestedNames
        self.maxRecordBytes = maxRecordBytes
        self.keptBytes = min(keptBytes, maxRecordBytes)
    }

    func next() throws -> Event? {
        while pending.isEmpty && !finished { try step() }
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    /// Reads one markup construct (or reaches the end) and queues what it means.
    private func step() throws {
        do {
            try scanMarkup()
        } catch is RecordTooLong {
            try skipOverLongRecord()
        }
    }

    private func tooLong(_ open: (name: String, start: Int, line: Int)) -> Event {
        .broken(reason: "<\(open.name)> is longer than \(ReadOptions.recordLimitPhrase(maxRecordBytes, setting: limitSetting)): only its first \(keptBytes) bytes are kept here, and it is not moderated",
                line: open.line, raw: Array(buffer[open.start..<(open.start + keptBytes)]))
    }

    /// Reports a record that grew past `maxRecordBytes` with its first `keptBytes`, then reads
    /// on, keeping nothing, to its end tag.
    private func skipOverLongRecord() throws {
        guard let open = record else { return }
        pending.append(tooLong(open))
        record = nil
        let endTag = Array("</\(open.name)>".utf8)
        while true {
            if let end = try find(endTag, from: position, readingMore: false) {
                advance(to: end + endTag.count)
                return
            }
            // Not in what is buffered: drop all but a tail the end tag could start in.
            let keep = min(endTag.count - 1, buffer.count - position)
            advance(to: buffer.count - keep)
            buffer.removeSubrange(0..<position)
            position = 0
            guard try fill() else { return finishAtEnd() }
        }
    }

    private func scanMarkup() throws {
        compact()
        guard let tagStart = try find([UInt8(ascii: "<")], from: position) else {
            advance(to: buffer.count)
            finishAtEnd()
            return
        }
        advance(to: tagStart)
        guard let markup = try readMarkup(at: tagStart) else {
            finishAtEnd()
            return
        }
        advance(to: markup.end)
        switch markup.kind {
        case .other: break
        case .start(let name, let selfClosing): handleStart(name, selfClosing: selfClosing, start: tagStart, line: markup.line)
        case .end(let name): handleEnd(name, start: tagStart)
        }
    }

    private func handleStart(_ name: String, selfClosing: Bool, start: Int, line: Int) {
        if rootName == nil {
            rootName = name
            rootStartTag = Array(buffer[start..<position])
        }
        if let open = record {
            // Records do not nest: another record starting means this one was never closed.
            // Report it and start over with the new one, so one missing end tag costs one record.
            guard recordNames.contains(name), !nestedNames.contains(name) || name == open.name else { return }
            pending.append(.broken(reason: "<\(open.name)> is not closed before the next <\(name)>",
                                   line: open.line, raw: Array(buffer[open.start..<start])))
            record = nil
        }
        if recordNames.contains(name) {
            if selfClosing {
                pending.append(.record(name: name, parent: openElements.last, bytes: Array(buffer[start..<position]), line: line))
            } else {
                record = (name, start, line)
            }
        } else if !selfClosing {
            openElements.append(name)
            pending.append(.open(name))
        }
    }

    private func handleEnd(_ name: String, start: Int) {
        if let open = record {
            if name == open.name {
                // `fill` stops a record that outgrows the buffer; one that fit in what was
                // already read is held to the same limit here, so the bound is exact.
                if position - open.start > maxRecordBytes {
                    pending.append(tooLong(open))
                } else {
                    pending.append(.record(name: name, parent: openElements.last, bytes: Array(buffer[open.start..<position]), line: open.line))
                }
                record = nil
                return
            }
            // The element around the record closes first: the record itself was never closed.
            guard openElements.contains(name) else { return }
            pending.append(.broken(reason: "<\(open.name)> is not closed before </\(name)>", line: open.line,
                                   raw: Array(buffer[open.start..<start])))
            record = nil
        }
        guard let index = openElements.lastIndex(of: name) else { return }
        for closed in openElements[index...].reversed() { pending.append(.close(closed)) }
        openElements.removeSubrange(index...)
    }

    private func finishAtEnd() {
        finished = true
        if let open = record {
            pending.append(.broken(reason: "the file ends inside <\(open.name)>: it is truncated", line: open.line,
                                   raw: Array(buffer[open.start...])))
        } else if let outer = openElements.first {
            pending.append(.broken(reason: "the file ends before </\(outer)>: it is truncated", line: line, raw: Array(buffer[position...])))
        }
    }

    // MARK: Markup

    private enum MarkupKind { case start(String, selfClosing: Bool), end(String), other }

    /// The construct starting at `start` (which holds `<`) and the index just after it;
    /// nil when the file ends inside it.
    private func readMarkup(at start: Int) throws -> (kind: MarkupKind, end: Int, line: Int)? {
        let line = self.line
        func after(_ terminator: String, from: Int) throws -> Int? {
            let bytes = Array(terminator.utf8)
            return try find(bytes, from: from).map { $0 + bytes.count }
        }
        // Most markup is a tag: only `<!` and `<?` need a closer look.
        guard try available(start + 1) else { return nil }
        let second = buffer[start + 1]
        if second == UInt8(ascii: "?") {
            guard let end = try after("?>", from: start + 2) else { return nil }
            if rootName == nil { declaredEncoding = Self.encoding(declaredIn: buffer[start..<end]) }
            return (.other, end, line)
        }
        if second == UInt8(ascii: "!") {
            if try hasPrefix(Self.cdataOpen, at: start) {
                return try after("]]>", from: start + 9).map { (.other, $0, line) }
            }
            if try hasPrefix(Self.commentOpen, at: start) {
                return try after("-->", from: start + 4).map { (.other, $0, line) }
            }
            // A DOCTYPE, possibly with an internal subset in brackets. Skipped, never parsed:
            // records are parsed without it, so no entity it declares is ever expanded.
            guard let close = try tagEnd(from: start + 2) else { return nil }
            if buffer[start..<close].contains(UInt8(ascii: "[")) {
                return try after("]>", from: start).map { (.other, $0, line) }
            }
            return (.other, close + 1, line)
        }
        guard let close = try tagEnd(from: start + 1) else { return nil }
        let isEnd = buffer[start + 1] == UInt8(ascii: "/")
        let selfClosing = !isEnd && buffer[close - 1] == UInt8(ascii: "/")
        var nameEnd = start + (isEnd ? 2 : 1)
        while nameEnd < close, !Self.endsName(buffer[nameEnd]) { nameEnd += 1 }
        let name = String(decoding: buffer[(start + (isEnd ? 2 : 1))..<nameEnd], as: UTF8.self)
        return (isEnd ? .end(name) : .start(name, selfClosing: selfClosing), close + 1, line)
    }

    /// The encoding named in `<?xml version="1.0" encoding="..."?>`, when it is a single-byte
    /// one Foundation converts from; nil for UTF-8 or anything else.
    static func encoding(declaredIn declaration: ArraySlice<UInt8>) -> String.Encoding? {
        let text = String(decoding: declaration, as: UTF8.self).lowercased()
        guard text.hasPrefix("<?xml"), let range = text.range(of: "encoding=") else { return nil }
        let name = text[range.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }
        switch name {
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1": return .isoLatin1
        case "windows-1252", "cp1252": return .windowsCP1252
        default: return nil
        }
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
    }

    /// The index of the `>` that ends a tag, skipping quoted attribute values.
    private func tagEnd(from start: Int) throws -> Int? {
        var index = start
        var quote: UInt8?
        while true {
            if index >= buffer.count {
                guard try fill() else { return nil }
                continue
            }
            let byte = buffer[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
    }

    private static let cdataOpen = Array("<![CDATA[".utf8)
    private static let commentOpen = Array("<!--".utf8)

    private func hasPrefix(_ prefix: [UInt8], at start: Int) throws -> Bool {
        guard try available(start + prefix.count - 1) else { return false }
        for offset in 0..<prefix.count where buffer[start + offset] != prefix[offset] { return false }
        return true
    }

    /// True when the byte at `index` is in the buffer, reading more as needed.
    private func available(_ index: Int) throws -> Bool {
        while buffer.count <= index {
            guard try fill() else { return false }
        }
        return true
    }

    // MARK: Buffer

    /// The index where `pattern` starts, at or after `start`, reading more as needed.
    private func find(_ pattern: [UInt8], from start: Int, readingMore: Bool = true) throws -> Int? {
        var searchFrom = start
        while true {
            let found: Int? = buffer.withUnsafeBytes { bytes -> Int? in
                // memchr to the pattern's first byte, then compare the rest (glibc's memmem
                // is a GNU extension Swift does not import).
                let base = bytes.baseAddress!
                var from = searchFrom
                while from + pattern.count <= bytes.count,
                      let hit = memchr(base + from, Int32(pattern[0]), bytes.count - from - pattern.count + 1) {
                    let index = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + index, pattern, pattern.count) == 0 { return index }
                    from = index + 1
                }
                return nil
            }
            if let found { return found }
            guard readingMore else { return nil }
            // The pattern may straddle the old end of the buffer.
            searchFrom = max(start, buffer.count - pattern.count + 1)
            guard try fill() else { return nil }
        }
    }

    /// Appends another chunk; false at the end of the input.
    private func fill() throws -> Bool {
        guard !reachedEnd else { return false }
        if let open = record, buffer.count - open.start > maxRecordBytes { throw RecordTooLong() }
        let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
        if count == 0 {
            reachedEnd = true
            return false
        }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Moves the scan position forward, counting the lines it passes.
    private func advance(to index: Int) {
        buffer.withUnsafeBytes { bytes in
            var from = position
            let base = bytes.baseAddress!
            while from < index, let hit = memchr(base + from, 0x0A, index - from) {
                line += 1
                from = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
        }
        position = index
    }

    /// Drops the bytes no longer needed: everything before the open record, or before the
    /// scan position when no record is open.
    private func compact() {
        let keep = record?.start ?? position
        guard keep >= 1 << 18 else { return }
        buffer.removeSubrange(0..<keep)
        position -= keep
        if let open = record { record = (open.name, 0, open.line) }
    }
}
