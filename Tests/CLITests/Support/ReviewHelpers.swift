import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A queue directory after `moderate run` on the film blog fixture (five comments held), and
/// its held ids in hold.jsonl's order.
func filmBlogQueues() throws -> (queues: URL, held: [String]) {
    let queues = try scratchDirectory().appendingPathComponent("queues")
    let result = try Moderate.run(["run", "--queues", queues.path, "--quiet", "fixtures/film-blog.jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let held = try records(queues, "hold.jsonl").compactMap { $0["id"] as? String }
    #expect(held.count >= 3)
    return (queues, held)
}

/// Runs `moderate` with extra environment variables; waits for it.
func runModerate(_ arguments: [String], environment extra: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = Moderate.binary
    process.arguments = arguments
    process.currentDirectoryURL = Moderate.packageRoot
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process
}

/// A tmux server of its own (`-L`), so that a test never touches a person's sessions.
struct Tmux {
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { path != nil }
    let socket = "moderate-test-\(UUID().uuidString.prefix(8))"

    /// Runs a tmux client and returns what it printed. Through posix_spawn and waitpid, not
    /// `Process`: the client that starts the server forks it off, and `Process` then never
    /// sees the client end (the server keeps what it inherited open).
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([Self.path!, "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, Self.path!, &actions, nil, argv, environ) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    func start(_ command: String, width: Int = 80, height: Int = 24) throws {
        try run(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", command])
    }

    func keys(_ keys: String...) throws { try run(["send-keys"] + keys) }

    /// The pane's text (`escapes`: with its colours and attributes as escape sequences).
    func screen(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p"] + (escapes ? ["-e"] : []))
    }

    /// Waits up to 20 s for the pane to show `text`; returns the pane.
    @discardableResult
    func waitFor(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(20)
        var pane = ""
        while Date() < deadline {
            pane = try screen()
            if pane.contains(text) { return pane }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the screen never showed \(text):\n\(pane)", sourceLocation: sourceLocation)
        return pane
    }

    /// Quits the review first (`q`), so that nothing is left running if the server outlives `kill-server`.
    func stop() {
        _ = try? run(["send-keys", "q"])
        Thread.sleep(forTimeInterval: 0.3)
        _ = try? run(["kill-server"])
    }
}
