import ArgumentParser
import Logging

/// `--log-level`, parsed by swift-log's own level names.
struct LogLevelArgument: ExpressibleByArgument {
    var level: Logger.Level

    init(_ level: Logger.Level) { self.level = level }

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    var defaultValueDescription: String { level.rawValue }
    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}

/// Logs go to stderr, at the level asked for. Bootstrapped once per process.
func makeLogger(level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: "moderate")
    logger.logLevel = level
    return logger
}
