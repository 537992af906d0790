import ModerateCore

extension InputReadError {
    /// The error in the CLI's words: what is wrong, and the flag that fixes it.
    var cliMessage: String {
        switch reason {
        case .missingColumn(let field, let column, let columns):
            return "\(source): --map \(field.rawValue)=\(column): no column '\(column)'; the columns are \(InputReadError.list(columns))"
        case .noBodyColumn(let columns):
            return "\(source): no column gives the comment's body: name one with --map body=COLUMN (the columns are \(InputReadError.list(columns)))"
        case .unknownXMLExport:
            return "\(source): XML that is neither a WordPress (WXR) nor a Disqus export; name the format with --format"
        case .jsonArray:
            return "\(source): a JSON array; moderate reads JSON lines, one comment object per line (jq -c '.[]' converts)"
        case .system, .isDirectory, .notAFileOrPipe, .unreadableHeader:
            return description
        }
    }
}
