import ArgumentParser
import ModerateCore

/// The inputs of every command that reads comments, and how to read them.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The input format; by default it is detected.", valueName: "format"))
    var format: InputFormat?

    @Argument(help: ArgumentHelp("Exports to read; - reads standard input.", valueName: "input"))
    var inputs: [String]

    /// Opens every input, or reports the first that cannot be opened and exits with code 66,
    /// before anything else is touched.
    func openReaders() throws -> [CommentReader] {
        var readers: [CommentReader] = []
        for path in inputs {
            do {
                readers.append(try CommentReaders.open(InputSource(path: path), format: format ?? .jsonl))
            } catch {
                printError("moderate: cannot read \(error)")
                throw Exit.noInput
            }
        }
        return readers
    }
}

extension InputFormat: ExpressibleByArgument {}
