import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One record element of an XML export, parsed: its name, attributes, text (character data
/// and CDATA joined) and child elements. Records are small (one comment), so a tree is fine,
/// as long as it is not deep: see `maxDepth` and `deinit`.
final class ParsedElement {
    let name: String
    let attributes: [String: String]
    fileprivate(set) var text = ""
    fileprivate(set) var children: [ParsedElement] = []

    /// The deepest nesting of elements a record may have, counted from the record element
    /// (`wp:comment` is level 1, `wp:comment_content` level 2, HTML inside it 3 and on).
    /// A record nested deeper goes to errors.jsonl (README, "Security"). 256 is libxml2's own
    /// default limit (`xmlParserMaxDepth`, lifted by the `XML_PARSE_HUGE` that Foundation sets);
    /// no real comment comes near it, and it keeps the tree and every walk of it shallow.
    static let maxDepth = 256

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Releasing a tree the default way is recursive: each element's deinit releases its
    /// children, whose deinit releases theirs... A tree tens of thousands of levels deep
    /// overflowed the stack there (SIGSEGV, on every rerun of the same export). `maxDepth`
    /// keeps parsed trees shallow; this makes any tree safe to release: the descendants are
    /// moved onto an explicit stack and released one at a time, each already childless.
    deinit {
        guard !children.isEmpty else { return }
        var pending = children
        children = []
        while var element = pending.popLast() {
            // An element someone else still holds keeps its children: it is not being freed.
            if isKnownUniquelyReferenced(&element) {
                pending.append(contentsOf: element.children)
                element.children = []
            }
        }
    }

    /// Adds a child element (the parser's tree builder, and tests that build trees by hand).
    func append(child: ParsedElement) { children.append(child) }

    func child(_ name: String) -> ParsedElement? { children.first { $0.name == name } }

    /// The text of the first child with this name; nil when there is no such child.
    func text(of childName: String) -> String? { child(childName)?.text }

    /// Parses a record cut out by `XMLRecordScanner`, inside a copy of the document's start
    /// tag so that its namespace prefixes are declared. Invalid UTF-8 and control characters
    /// that XML forbids are replaced with U+FFFD first (`repair` says so), so that an old
    /// export's stray byte does not cost the whole comment.
    static func parse(_ record: [UInt8], rootStartTag: [UInt8], rootName: String?,
                      encoding: String.Encoding? = nil) -> Result<(ParsedElement, repair: String?), BrokenRecord> {
        var bytes = record
        var repair: String?
        if let encoding, let text = String(bytes: bytes, encoding: encoding) {
            bytes = Array(text.utf8)
        } else if String(validating: bytes, as: UTF8.self) == nil {
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
            repair = "invalid UTF-8 replaced with U+FFFD"
        }
        if bytes.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            var cleaned: [UInt8] = []
            cleaned.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                    cleaned.append(contentsOf: [0xEF, 0xBF, 0xBD])
                } else {
                    cleaned.append(byte)
                }
            }
            bytes = cleaned
            repair = (repair.map { $0 + "; " } ?? "") + "control characters XML does not allow replaced with U+FFFD"
        }
        // The start tag is the document's own, as untrusted as the record: a stray byte in a
        // namespace URI crashed Foundation's XMLParser (found by FuzzDisqus), so it is repaired too.
        let open = rootStartTag.isEmpty || rootName == nil ? Array("<document>".utf8) : repaired(rootStartTag)
        let close = Array("</\(rootStartTag.isEmpty ? "document" : rootName ?? "document")>".utf8)
        switch parseTree(open + bytes + close, linesBefore: open.filter { $0 == 0x0A }.count) {
        case .success(let root): return .success((root, repair))
        case .failure(let broken) where broken.tooDeep:
            // Escaping entities changes no nesting: parsing again would only fail again.
            return .failure(broken)
        case .failure(let broken):
            // HTML entities (`&eacute;`, `&nbsp;`) written outside CDATA are not XML. Keep
            // them as the text they are rather than lose the comment; no entity is expanded.
            guard let escaped = escapingUnknownEntities(bytes),
                  case .success(let root) = parseTree(open + escaped + close, linesBefore: 0) else { return .failure(broken) }
            return .success((root, (repair.map { $0 + "; " } ?? "") + "entities XML does not define kept as text"))
        }
    }

    /// Invalid UTF-8 and control characters XML forbids replaced with U+FFFD.
    static func repaired(_ bytes: [UInt8]) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.map {
                $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" ? "\u{FFFD}" : $0
            }))
        }
        return Array(text.utf8)
    }

    private static func parseTree(_ document: [UInt8], linesBefore: Int) -> Result<ParsedElement, BrokenRecord> {
        // The document's root wraps the record: one level more than the record's own.
        let builder = TreeBuilder(maxDepth: maxDepth + 1)
        let parser = XMLParser(data: Data(document))
        // Records come without the document's DTD, so there is nothing to resolve; say so anyway.
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let line = builder.tooDeepAtLine {
            return .failure(BrokenRecord(reason: "elements nested deeper than \(maxDepth) levels (at line \(max(line - linesBefore, 1)) of the element): not read, so that no record can exhaust the stack", tooDeep: true))
        }
        guard parsed, let root = builder.root?.children.first else {
            let message = parser.parserError.map { describe($0) } ?? "not well-formed XML"
            return .failure(BrokenRecord(reason: "broken XML: \(message) (line \(max(parser.lineNumber - linesBefore, 1)) of the element)"))
        }
        return .success(root)
    }

    /// `&name;` outside CDATA, for a name other than XML's five, becomes `&amp;name;`; nil when
    /// there is none (so the record is broken for another reason).
    static func escapingUnknownEntities(_ bytes: [UInt8]) -> [UInt8]? {
        let known: Set<String> = ["amp", "lt", "gt", "quot", "apos"]
        let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var changed = false
        var index = 0
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && bytes[position..<(position + pattern.count)].elementsEqual(pattern)
        }
        while index < bytes.count {
            if matches(cdataOpen, at: index) {
                var end = index + cdataOpen.count
                while end < bytes.count && !matches(cdataClose, at: end) { end += 1 }
                end = min(end + cdataClose.count, bytes.count)
                out.append(contentsOf: bytes[index..<end])
                index = end
                continue
            }
            let byte = bytes[index]
            out.append(byte)
            index += 1
            guard byte == UInt8(ascii: "&") else { continue }
            var end = index
            while end < bytes.count, end - index < 32, bytes[end] != UInt8(ascii: ";"),
                  (bytes[end] >= 0x30 && bytes[end] <= 0x39) || ((bytes[end] | 0x20) >= 0x61 && (bytes[end] | 0x20) <= 0x7A) { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > index,
                  !known.contains(String(decoding: bytes[index..<end], as: UTF8.self)) else { continue }
            out.append(contentsOf: Array("amp;".utf8))
            changed = true
        }
        return changed ? out : nil
    }

    /// libxml2's message does not reach Foundation's error, only its code (libxml2's own
    /// numbering); the common ones are named here.
    private static func describe(_ error: Error) -> String {
        let code = (error as NSError).code
        let names = [
            4: "empty element", 5: "extra content after the element", 9: "invalid character",
            23: "entity reference without ';'", 26: "undeclared entity (an HTML entity outside CDATA?)",
            38: "'<' in an attribute value", 39: "attribute value not quoted", 41: "attribute without a value",
            68: "a tag name was expected", 73: "'>' expected", 76: "start and end tags do not match",
            77: "tag not closed", 81: "invalid character in the text",
        ]
        return (names[code].map { $0 + ", " } ?? "") + "libxml2 error \(code)"
    }
}

/// Why a record element could not be parsed.
struct BrokenRecord: Error {
    var reason: String
    /// Nested deeper than `ParsedElement.maxDepth`: no repair can help.
    var tooDeep = false
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: ParsedElement?
    private var stack: [ParsedElement] = []
    private let maxDepth: Int
    /// Set when an element opened deeper than `maxDepth`: the line it is on (in the document).
    private(set) var tooDeepAtLine: Int?

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard tooDeepAtLine == nil else { return }
        if stack.count >= maxDepth {
            // Stop at once: libxml2 would otherwise go on through every level of the record.
            tooDeepAtLine = parser.lineNumber
            parser.abortParsing()
            return
        }
        let element = ParsedElement(name: elementName, attributes: attributes)
        if let parent = stack.last { parent.append(child: element) } else { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard tooDeepAtLine == nil else { return }
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }
}
