#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Another run holds the queue directory.
public struct QueueLockedError: Error, CustomStringConvertible {
    public var directory: String
    /// What the holder wrote into the lock file (its process id), if readable.
    public var holder: String?
    public var description: String {
        "\(directory) is in use by another moderate run" + (holder.map { " (process \($0))" } ?? "")
    }
}

/// One run at a time per queue directory: an exclusive `flock` on a lock file. The kernel
/// releases it when the process ends, however it ends, so a killed run never leaves a
/// stale lock behind.
final class RunLock {
    private let file: PosixFile

    init(path: String, directory: String, wait: Bool) throws {
        file = try PosixFile(safelyOpeningForAppend: path)
        var result: Int32
        repeat {
            result = flock(file.descriptor, LOCK_EX | (wait ? 0 : LOCK_NB))
        } while result != 0 && errno == EINTR
        if result != 0 {
            if errno == EWOULDBLOCK {
                let holder = (try? file.readAll())
                    .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
                    .flatMap { $0.isEmpty ? nil : $0 }
                throw QueueLockedError(directory: directory, holder: holder)
            }
            throw QueueWriteError(path)
        }
        // Say who holds it, for the message the next run prints.
        try file.truncate(to: 0)
        try file.write(Array("\(getpid())\n".utf8))
    }
}
