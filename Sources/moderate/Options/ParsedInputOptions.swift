import ArgumentParser
import ModerateCore

/// Parses arguments collected by a command that cannot declare `InputOptions` directly.
func parsedInputOptions(_ arguments: [String]) throws -> InputOptions {
    do {
        return try InputOptions.parse(arguments)
    } catch {
        printError("moderate: " + InputOptions.message(for: error))
        throw ExitCode.validationFailure
    }
}
