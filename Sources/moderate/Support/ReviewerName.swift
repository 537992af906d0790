#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Who decides, when `--reviewer` is not given: the account's name (from the password
/// database, which a user cannot change at will like $USER), else $USER.
enum ReviewerName {
    static func `default`() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        return ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }
}
