import ArgumentParser
import Foundation
import ModerateCore

/// The inputs of every command that reads comments, and how to read them.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The input format (jsonl, csv, wxr, disqus, json); by default it is detected from the file's name and first bytes.", valueName: "format"))
    var format: InputFormat?

    @Option(name: .long, help: ArgumentHelp("CSV only: which column gives each field, e.g. body=CONTENT,author=AUTHOR,id=COMMENT_ID. Columns named like a field need no mapping.", valueName: "field=column,..."))
    var map: String?

    @Option(name: .long, help: ArgumentHelp("The longest record read: a JSON line, a CSV row, an XML comment element (bytes, or with K, M or G for KiB, MiB, GiB; default 16M). A longer one goes to errors.jsonl, cut to its start; the batch goes on.", valueName: "bytes"))
    var maxRecordBytes: String?

    @Argument(help: ArgumentHelp("Exports to read (.gz too); - reads standard input.", valueName: "input"))
    var inputs: [String] = []

    func validate() throws {
        _ = try columnMap()
        _ = try recordLimit()
    }

    /// `--max-record-bytes 16M` in bytes.
    func recordLimit() throws -> Int {
        guard let text = maxRecordBytes else { return ReadOptions.defaultMaxRecordBytes }
        var digits = Substring(Substring(text).trimmingCharacters(in: " "))
        var unit = 1
        switch digits.last.map({ Character($0.uppercased()) }) {
        case "K": unit = 1 << 10
        case "M": unit = 1 << 20
        case "G": unit = 1 << 30
        default: break
        }
        if unit != 1 { digits.removeLast() }
        guard let value = Int(digits), value >= 1, value <= (1 << 40) / unit else {
            throw ValidationError("--max-record-bytes: '\(text)' is not a size such as 16777216, 64K, 16M or 1G")
        }
        return value * unit
    }

    /// `--map body=CONTENT,author=AUTHOR` as field to column.
    func columnMap() throws -> [CommentField: String] {
        guard let map else { return [:] }
        var result: [CommentField: String] = [:]
        for pair in map.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ValidationError("--map: '\(pair)' is not field=column")
            }
            let name = parts[0].trimmingCharacters(in: " ")
            guard let field = CommentField(rawValue: name) else {
                throw ValidationError("--map: unknown field '\(name)'; the fields are \(CommentField.names.joined(separator: ", "))")
            }
            result[field] = parts[1].trimmingCharacters(in: " ")
        }
        return result
    }

    /// How the engine reads: the column map, the record limit, and the flag that raises it
    /// (named in errors.jsonl when a record is over it).
    func readOptions() throws -> ReadOptions {
        ReadOptions(columnMap: try columnMap(), maxRecordBytes: try recordLimit(), recordLimitSetting: "--max-record-bytes")
    }

    /// Opens every input, or reports the first that cannot be opened and exits with code 66,
    /// before anything else is touched. No input named is a usage error, or standard input
    /// where a command reads it by default (`filter`, a pipe's stage).
    func openReaders(standardInputWhenNone: Bool = false) throws -> [CommentReader] {
        var inputs = self.inputs
        if inputs.isEmpty {
            guard standardInputWhenNone else { throw ValidationError("Missing expected argument '<input> ...' (- reads standard input)") }
            inputs = ["-"]
        }
        var readers: [CommentReader] = []
        let options = try readOptions()
        for path in inputs {
            do {
                readers.append(try CommentReaders.open(InputSource(path: path), format: format, options: options))
            } catch {
                printError("moderate: cannot read \(Self.wording(of: error))")
                throw Outcome.noInput.exitCode
            }
        }
        return readers
    }

    /// When a rule set counts copies (`same_body`), the bodies of the regular files among
    /// `readers`, counted before anything is decided (README, "Copies across the whole
    /// input"); nil otherwise. A file that cannot be read again exits with code 74.
    func countCopies(in readers: [CommentReader], for ruleSets: [RuleSet],
                     jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                     stopRequested: () -> Bool = { false }) throws -> BodyCopyCounts? {
        guard ruleSets.contains(where: \.usesCopies) else { return nil }
        let options = try readOptions()
        do {
            return try BodyCopyCounts.counting(readers, format: format, options: options, jobs: jobs,
                                               stopRequested: stopRequested)
        } catch {
            printError("moderate: cannot count copies: \(error is InputReadError ? "cannot read " : "")\(Self.wording(of: error))")
            throw Outcome.ioError.exitCode
        }
    }

    /// An input error worded for the command line (with `--map` and `--format` where they are the fix).
    private static func wording(of error: Error) -> String {
        (error as? InputReadError)?.cliMessage ?? "\(error)"
    }
}

extension InputFormat: ExpressibleByArgument {}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
