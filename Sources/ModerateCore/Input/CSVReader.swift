/// CSV with a header row (RFC 4180: quoted fields may hold commas, quotes as `""`, and line
/// breaks). Each row becomes a comment; the columns named in the column map (or named like a
/// schema field) become its fields, and every other column is carried into the record.
///
/// Written by hand on purpose: the CSV libraries available stop at the first malformed row
/// and refuse invalid UTF-8, and here a bad row must go to errors.jsonl with its line while
/// the rows after it are still read. It reads one row at a time from a `LineReader`.
final class CSVReader: CommentReader {
    /// A row longer than this is almost surely an unclosed quote swallowing the file
    /// (`--max-record-bytes`; one line longer than it is never held whole, see `LineReader`).
    let maxRowBytes: Int
    /// How a person raises it (`ReadOptions.recordLimitSetting`).
    private let limitSetting: String?

    private let lines: LineReader
    private let sourceName: String
    private var header: [String] = []
    /// Where each schema field is read from (a column may feed several fields).
    private var fieldColumns: [(field: CommentField, column: Int)] = []
    /// The other columns, carried into the record under these keys.
    private var carriedColumns: [(key: String, column: Int)] = []

    public var file: InputFile? { lines.file }

    /// Reads the header row. Throws when the column map names a column that is not there,
    /// or when no column gives the comment's body: nothing could be moderated.
    public init(lines: LineReader, sourceName: String, columnMap: [CommentField: String],
                maxRowBytes: Int = ReadOptions.defaultMaxRecordBytes, limitSetting: String? = nil) throws {
        self.lines = lines
        self.maxRowBytes = maxRowBytes
        self.limitSetting = limitSetting
        self.sourceName = sourceName
        while let row = try nextRow() {
            switch row.content {
            case .broken(let why):
                // A header over the record limit (or whose quote never closes) was skipped
                // here once: the next row was taken for the header, or a file with only a
                // header read as empty. Without its header no row means anything: refuse it.
                throw InputReadError(source: sourceName, reason: .unreadableHeader(line: row.line, why: why))
            case .fields(let cells):
                if cells.count == 1 && cells[0].isEmpty { continue }
                header = cells.map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }
            }
            break
        }
        if header.isEmpty { return }  // an empty file: no rows, nothing to map

        func column(named name: String) -> Int? {
            header.firstIndex(of: name) ?? header.firstIndex { $0.lowercased() == name.lowercased() }
        }
        var used = Set<Int>()
        for field in CommentField.allCases {
            if let name = columnMap[field] {
                guard let index = column(named: name) else {
                    throw InputReadError(source: sourceName, reason: .missingColumn(field: field, column: name, columns: header))
                }
                fieldColumns.append((field, index))
                used.insert(index)
            } else if let index = header.firstIndex(of: field.rawValue) {
                fieldColumns.append((field, index))
                used.insert(index)
            }
        }
        guard fieldColumns.contains(where: { $0.field == .body }) else {
            throw InputReadError(source: sourceName, reason: .noBodyColumn(columns: header))
        }
        // Every key of the record is written once, so that no JSON reader can take another
        // value than moderate did: a column named like a field that another column fills, or
        // like the `moderation` object moderate adds, is carried as `csv_NAME`; a name the
        // header repeats gets `_2`, `_3`.
        let reserved = Set(CommentField.names + ["moderation"])
        var keys = Set(fieldColumns.map(\.field.rawValue))
        for (index, name) in header.enumerated() where !used.contains(index) {
            let base = reserved.contains(name) ? "csv_" + name : name
            var key = base
            var copy = 1
            while !keys.insert(key).inserted {
                copy += 1
                key = "\(base)_\(copy)"
            }
            carriedColumns.append((key, index))
        }
    }

    public func next() throws -> InputItem? {
        guard !header.isEmpty else { return nil }
        while let row = try nextRow() {
            switch row.content {
            case .broken(let reason):
                return .error(InputError(source: sourceName, line: row.line, reason: reason, raw: row.raw))
            case .fields(let cells):
                if cells.count == 1 && cells[0].isEmpty { continue }  // a blank line
                guard cells.count == header.count else {
                    return .error(InputError(source: sourceName, line: row.line,
                                             reason: "row has \(cells.count) columns, the header has \(header.count)", raw: row.raw))
                }
                return .comment(comment(cells, line: row.line))
            }
        }
        return nil
    }

    private func comment(_ cells: [[UInt8]], line: Int) -> InputComment {
        var repaired = false
        let values = cells.map { cell -> String in
            if let text = String(validating: cell, as: UTF8.self) { return text }
            repaired = true
            return String(decoding: cell, as: UTF8.self)
        }
        var fields: [CommentField: String] = [:]
        var json = JSONWriter(capacity: cells.reduce(64) { $0 + $1.count + 16 })
        json.beginObject()
        for (field, column) in fieldColumns {
            fields[field] = values[column]
            json.field(field.rawValue, values[column])
        }
        for (key, column) in carriedColumns { json.field(key, values[column]) }
        json.endObject()
        return InputComment(comment: Comment(id: fields[.id], fields: fields), source: sourceName, line: line,
                            originalJSON: json.bytes, repair: repaired ? "invalid UTF-8 replaced with U+FFFD" : nil)
    }

    private struct Row {
        enum Content { case fields([[UInt8]]), broken(String) }
        var content: Content
        var line: Int
        var raw: [UInt8]
    }

    /// The next row, which may span several lines when a quoted field holds line breaks.
    private func nextRow() throws -> Row? {
        guard var line = try lines.nextLine() else { return nil }
        let firstLine = lines.lineNumber
        if let length = lines.oversizedLineBytes { return oversized(line, length: length, firstLine: firstLine) }
        if lines.lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        var parser = CSVRowParser()
        var raw = line
        parser.feed(line)
        while parser.inQuotes {
            guard raw.count <= maxRowBytes else {
                return Row(content: .broken("row longer than \(ReadOptions.recordLimitPhrase(maxRowBytes, setting: limitSetting)): a quoted field is probably never closed; reading goes on at line \(lines.lineNumber + 1)"),
                           line: firstLine, raw: Array(raw.prefix(lines.keptBytes)))
            }
            guard let more = try lines.nextLine() else {
                return Row(content: .broken("a quoted field is not closed before the end of the file"), line: firstLine, raw: raw)
            }
            if let length = lines.oversizedLineBytes {
                return oversized(raw + [0x0A] + more, length: raw.count + 1 + length, firstLine: firstLine)
            }
            raw.append(0x0A)
            raw.append(contentsOf: more)
            parser.feed(more)
        }
        return Row(content: .fields(parser.finish()), line: firstLine, raw: raw)
    }

    /// A row with a line over the record limit: its start goes to errors.jsonl, and reading
    /// goes on at the next line (a quote it left open is forgotten with it).
    private func oversized(_ start: [UInt8], length: Int, firstLine: Int) -> Row {
        Row(content: .broken("row of at least \(length) bytes is longer than \(ReadOptions.recordLimitPhrase(maxRowBytes, setting: limitSetting)): only its first \(min(start.count, lines.keptBytes)) bytes are kept here, and it is not moderated"),
            line: firstLine, raw: Array(start.prefix(lines.keptBytes)))
    }
}

/// Splits CSV lines into fields, one line at a time, remembering an open quote across lines.
struct CSVRowParser {
    private(set) var inQuotes = false
    private var fields: [[UInt8]] = []
    private var current: [UInt8] = []
    /// The current field began with a quote (so a quote later in it is not an opening one).
    private var quoted = false

    mutating func feed(_ line: [UInt8]) {
        if inQuotes { current.append(0x0A) }  // the line break was inside the quoted field
        var index = 0
        while index < line.count {
            let byte = line[index]
            if inQuotes {
                if byte == 0x22 {
                    if index + 1 < line.count && line[index + 1] == 0x22 {
                        current.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == 0x2C {
                fields.append(current)
                current = []
                quoted = false
            } else if byte == 0x22 && current.isEmpty && !quoted {
                inQuotes = true
                quoted = true
            } else {
                // A stray quote inside an unquoted field, or text after a closing quote:
                // kept as written rather than losing the row.
                current.append(byte)
            }
            index += 1
        }
    }

    mutating func finish() -> [[UInt8]] {
        fields.append(current)
        return fields
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
