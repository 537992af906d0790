import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One record element of an XML export, parsed: its name, attributes, text (character data
/// and CDATA joined) and child elements. Records are small (one comment), so a tree is fine.
final class ParsedElement {
    let name: String
    let attributes: [String: String]
    fileprivate(set) var text = ""
    fileprivate(set) var children: [ParsedElement] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    func child(_ name: String) -> ParsedElement? { children.first { $0.name == name } }

    /// The text of the first child with this name; nil when there is no such child.
    func text(of childName: String) -> String? { child(childName)?.text }

    /// Parses a record cut out by `XMLRecordScanner`, inside a copy of the document's start
    /// tag so that its namespace prefixes are declared. Invalid UTF-8 and control characters
    /// that XML forbids are replaced with U+FFFD first (`repair` says so), so that an old
    /// export's stray byte does not cost the whole comment.
    static func parse(_ record: [UInt8], rootStartTag: [UInt8], rootName: String?) -> Result<(ParsedElement, repair: String?), BrokenRecord> {
        var bytes = record
        var repair: String?
        if String(validating: bytes, as: UTF8.self) == nil {
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
        let open = rootStartTag.isEmpty || rootName == nil ? Array("<document>".utf8) : rootStartTag
        let close = Array("</\(rootStartTag.isEmpty ? "document" : rootName ?? "document")>".utf8)
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(open + bytes + close))
        // Records come without the document's DTD, so there is nothing to resolve; say so anyway.
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root?.children.first else {
            let message = parser.parserError.map { describe($0) } ?? "not well-formed XML"
            let lineInRecord = parser.lineNumber - open.filter { $0 == 0x0A }.count
            return .failure(BrokenRecord(reason: "broken XML: \(message) (line \(max(lineInRecord, 1)) of the element)"))
        }
        return .success((root, repair))
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
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: ParsedElement?
    private var stack: [ParsedElement] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        let element = ParsedElement(name: elementName, attributes: attributes)
        if let parent = stack.last { parent.children.append(element) } else { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }
}
