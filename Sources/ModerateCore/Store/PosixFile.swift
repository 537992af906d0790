#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A queue-directory file could not be opened, written, synced or locked.
struct QueueWriteError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }

    init(_ path: String, errno code: Int32 = errno) {
        self.path = path
        message = String(cString: strerror(code))
    }

    init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }
}

/// A file descriptor with the few operations the queue store needs, each failing with
/// the path and the system's reason.
final class PosixFile {
    let path: String
    let descriptor: Int32

    /// Opens a queue-directory file for appending the way OpenSSH's StrictModes and Postfix's
    /// `safe_open` do, because moderate often runs as root from cron in a directory other
    /// people may have written to: a planted symbolic link (`approve.jsonl -> /etc/passwd`)
    /// or hard link must not get comments appended, or be truncated by crash repair.
    ///
    /// A missing file is created with `O_CREAT | O_EXCL` (which never follows a link), mode
    /// 0600 since queue files hold emails and IPs. An existing one is opened with `O_NOFOLLOW`
    /// and then checked on the descriptor itself (`fstat`, so nothing can be swapped in
    /// between): a regular file, one link, owned by the effective user. Group or other
    /// permission bits on it are removed (`fchmod` to 0600) rather than refused: that is how
    /// files copied in with a loose umask looked before, and tightening them loses nothing.
    init(safelyOpeningForAppend path: String) throws {
        self.path = path
        var opened: Int32
        while true {
            opened = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if opened >= 0 || errno != EEXIST { break }
            opened = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
            // Removed between the two calls: try creating it again.
            if opened >= 0 || errno != ENOENT { break }
        }
        guard opened >= 0 else {
            if errno == ELOOP { throw QueueWriteError(path, UnsafePathReason.symbolicLink) }
            throw QueueWriteError(path)
        }
        descriptor = opened
        var status = stat()
        guard fstat(opened, &status) == 0 else { throw QueueWriteError(path) }
        if let reason = unsafeFileReason(status) { throw QueueWriteError(path, reason) }
        if status.st_mode & 0o077 != 0 {
            guard fchmod(opened, 0o600) == 0 else { throw QueueWriteError(path) }
        }
    }

    /// Creates a scratch file in `directory` that nobody else can open: a new name
    /// (`prefix` and 64 random bits, `O_EXCL`), owner-only, not inherited by child processes,
    /// and unlinked at once, so that it disappears when it is closed or the process dies.
    /// `path` stays its former name, for error messages.
    init(scratchIn directory: String, prefix: String) throws {
        while true {
            let path = directory + "/" + prefix + String(UInt64.random(in: .min ... .max), radix: 16)
            let opened = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if opened < 0 {
                if errno == EEXIST || errno == EINTR { continue }
                throw QueueWriteError(path)
            }
            guard unlink(path) == 0 else {
                let code = errno
                close(opened)
                throw QueueWriteError(path, errno: code)
            }
            self.path = path
            descriptor = opened
            return
        }
    }

    /// Opens a queue-directory file for reading, with the checks of appending (no link
    /// followed, a regular file with one link, owned by the effective user), or nil when there
    /// is no file: `moderate actions` reads queues this way, so a planted link cannot make it
    /// read (and pass on) a file of someone else's choosing.
    init?(safelyOpeningForReading path: String) throws {
        let opened = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard opened >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw QueueWriteError(path, UnsafePathReason.symbolicLink) }
            throw QueueWriteError(path)
        }
        self.path = path
        descriptor = opened
        var status = stat()
        guard fstat(opened, &status) == 0 else { throw QueueWriteError(path) }
        if let reason = unsafeFileReason(status) { throw QueueWriteError(path, reason) }
    }

    /// Replaces the file at `path` with `bytes` as one step, for files a monitor reads while
    /// they change (`--metrics`): the bytes go to a new owner-only file in the same directory
    /// (`O_EXCL`, so no planted link is followed), are synced, and the new file is renamed over
    /// `path`. A reader sees the old file or the new one, never half of one; a link planted at
    /// `path` is replaced, not written through. Something at `path` that is not a regular file
    /// (a directory, a FIFO) is refused.
    static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            let type = status.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFLNK else { throw QueueWriteError(path, "refused: is not a regular file") }
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var temporary = ""
        var opened: Int32 = -1
        while opened < 0 {
            temporary = directory + "/." + name + ".tmp-" + String(UInt64.random(in: .min ... .max), radix: 16)
            opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if opened < 0 && errno != EEXIST && errno != EINTR { throw QueueWriteError(temporary) }
        }
        let file = PosixFile(path: temporary, descriptor: opened)
        do {
            try file.write(bytes)
            try file.sync()
            guard rename(temporary, path) == 0 else { throw QueueWriteError(path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Repeats `call(done)`, a read or write system call for the bytes from `done` on, until
    /// `count` bytes are done or it does nothing (0: the end of the file); retries when a
    /// signal interrupted it. How many bytes were done.
    private func transfer(_ count: Int, _ call: (_ done: Int) -> Int) throws -> Int {
        var done = 0
        while done < count {
            let result = call(done)
            if result < 0 {
                if errno == EINTR { continue }
                throw QueueWriteError(path)
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Fills `buffer` from `offset`; the file must hold all those bytes. Safe to call from
    /// several threads at once (`pread` has no shared file position).
    func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws {
        let done = try transfer(buffer.count) { done in
            pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
        }
        guard done == buffer.count else { throw QueueWriteError(path, "ends before byte \(offset + UInt64(buffer.count))") }
    }

    /// Writes all of `bytes` at `offset` (not for files opened for appending, where Linux
    /// appends whatever the offset).
    func write(at offset: UInt64, from bytes: UnsafeRawBufferPointer) throws {
        let done = try transfer(bytes.count) { done in
            pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
        }
        guard done == bytes.count else { throw QueueWriteError(path, "wrote nothing at byte \(offset + UInt64(done))") }
    }

    func size() throws -> UInt64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw QueueWriteError(path) }
        return UInt64(status.st_size)
    }

    func write(_ bytes: [UInt8]) throws {
        let written = try bytes.withUnsafeBytes { raw in
            try transfer(raw.count) { done in Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done) }
        }
        guard written == bytes.count else { throw QueueWriteError(path, "wrote nothing after \(written) bytes") }
    }

    /// Waits until what was written is on disk.
    func sync() throws {
        guard fsync(descriptor) == 0 else { throw QueueWriteError(path) }
    }

    func truncate(to size: UInt64) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw QueueWriteError(path) }
    }

    /// The whole file (for small files: the run lock's holder).
    func readAll() throws -> [UInt8] {
        try read(at: 0, count: Int(try size()))
    }

    /// `count` bytes from `offset` (fewer only at the end of the file), for reading a file
    /// piece by piece.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let done = try bytes.withUnsafeMutableBytes { raw in
            try transfer(count) { done in pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
        }
        bytes.removeLast(count - done)
        return bytes
    }

    /// Calls `body` with each line of the file, without its `\n` (the last line also when it
    /// has none), read in chunks of `chunkBytes`: memory for the longest line, not the file.
    func forEachLine(chunkBytes: Int = 1 << 20, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        let total = try size()
        var offset: UInt64 = 0
        var pending: [UInt8] = []
        while offset < total {
            let chunk = try read(at: offset, count: Int(min(UInt64(chunkBytes), total - offset)))
            guard !chunk.isEmpty else { break }
            offset += UInt64(chunk.count)
            var lineStart = chunk.startIndex
            while let newline = chunk[lineStart...].firstIndex(of: 0x0A) {
                if pending.isEmpty {
                    try body(chunk[lineStart..<newline])
                } else {
                    pending += chunk[lineStart..<newline]
                    try body(pending[...])
                    pending.removeAll(keepingCapacity: false)
                }
                lineStart = newline + 1
            }
            pending += chunk[lineStart...]
        }
        if !pending.isEmpty { try body(pending[...]) }
    }

    /// The last byte, to know whether the file ends with a whole line.
    func lastByte() throws -> UInt8? {
        let length = try size()
        guard length > 0 else { return nil }
        var byte: UInt8 = 0
        guard pread(descriptor, &byte, 1, off_t(length - 1)) == 1 else { throw QueueWriteError(path) }
        return byte
    }
}

/// Why a queue-directory path is refused, in the words the error message uses.
enum UnsafePathReason {
    static let symbolicLink = "refused: is a symbolic link (queue files and folders must not be links)"
}

/// Why a file the queue store writes may not be written through, or nil if it may: it must
/// be a regular file (not a device, FIFO or link), have exactly one link (a hard link would
/// let whoever planted it have the writes land in a file of their choosing), and belong to
/// the effective user (a file someone else owns is theirs to change under us).
func unsafeFileReason(_ status: stat) -> String? {
    let type = status.st_mode & S_IFMT
    if type == S_IFLNK { return UnsafePathReason.symbolicLink }
    if type != S_IFREG { return "refused: is not a regular file" }
    if status.st_nlink != 1 { return "refused: has \(status.st_nlink) hard links, not 1" }
    if status.st_uid != geteuid() { return "refused: owned by uid \(status.st_uid), not by uid \(geteuid()) running moderate" }
    return nil
}

/// Checks, without following links or changing anything, that the queue store may write at
/// `path`: if something exists there it must pass `unsafeFileReason`. Run on every file
/// before any is created, so that a refused directory is left exactly as it was.
func checkFileIsSafeToOpen(_ path: String) throws {
    var status = stat()
    guard lstat(path, &status) == 0 else {
        if errno == ENOENT { return }
        throw QueueWriteError(path)
    }
    if let reason = unsafeFileReason(status) { throw QueueWriteError(path, reason) }
}

/// Checks that `path` is a directory the queue store may keep files in, or nothing yet:
/// not a symbolic link (checked with `lstat`; a link would move the queues wherever it
/// points), a directory, not writable by group or others unless the effective user owns it
/// (else someone else could plant links in it), and its parent not world-writable without
/// the sticky bit (else anyone could rename the directory and put their own in its place).
/// `ancestors: false` is for `.moderate/` inside the queue directory: the queue directory's
/// own check covers it and everything above, and a queue directory the user owns may be
/// group-writable (a shared site group), which the ancestor rule would refuse.
func checkDirectoryIsSafe(_ path: String, ancestors: Bool = true) throws {
    var status = stat()
    if lstat(path, &status) == 0 {
        let type = status.st_mode & S_IFMT
        if type == S_IFLNK { throw QueueWriteError(path, UnsafePathReason.symbolicLink) }
        guard type == S_IFDIR else { throw QueueWriteError(path, "exists and is not a directory") }
        if status.st_mode & 0o022 != 0 && status.st_uid != geteuid() {
            throw QueueWriteError(path, "refused: writable by group or others and owned by uid \(status.st_uid), not by uid \(geteuid()) running moderate")
        }
    } else if errno != ENOENT {
        throw QueueWriteError(path)
    }
    if ancestors { try checkAncestorsAreSafe(of: path) }
}

/// Whoever can rename a directory on the way to the queues can swap the queue directory for
/// one of their own between our check and our open, so, as OpenSSH's StrictModes does, every
/// directory above it up to `/` (links resolved) must belong to root or to the effective user
/// and must not be writable by group or others unless it has the sticky bit (like `/tmp`,
/// where nobody may rename what is not theirs). Directories not made yet are skipped.
func checkAncestorsAreSafe(of path: String) throws {
    var existing = parentDirectory(of: path)
    var status = stat()
    while stat(existing, &status) != 0 && existing != "/" && existing != "." {
        existing = parentDirectory(of: existing)
    }
    guard let resolved = realpath(existing, nil) else { throw QueueWriteError(existing) }
    var ancestor = String(cString: resolved)
    free(resolved)
    while true {
        guard stat(ancestor, &status) == 0 else { throw QueueWriteError(ancestor) }
        if status.st_uid != 0 && status.st_uid != geteuid() {
            throw QueueWriteError(path, "refused: \(ancestor) above it is owned by uid \(status.st_uid), who could swap the queue directory for another (keep the queues under directories owned by root or uid \(geteuid()))")
        }
        if status.st_mode & 0o022 != 0 && status.st_mode & S_ISVTX == 0 {
            throw QueueWriteError(path, "refused: \(ancestor) above it is writable by group or others without the sticky bit (chmod +t or go-w it)")
        }
        if ancestor == "/" { return }
        ancestor = parentDirectory(of: ancestor)
    }
}

private func parentDirectory(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
}

/// Makes a directory and its parents, owner-only. Refuses (see `checkDirectoryIsSafe`) a
/// directory that is a symbolic link, also one that appears between the check and here.
/// `ancestors` as for `checkDirectoryIsSafe`.
func makeDirectory(_ path: String, ancestors: Bool = true) throws {
    var status = stat()
    if lstat(path, &status) == 0 {
        if (status.st_mode & S_IFMT) == S_IFLNK { throw QueueWriteError(path, UnsafePathReason.symbolicLink) }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw QueueWriteError(path, "exists and is not a directory") }
        return
    }
    let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    if !parent.isEmpty && stat(parent, &status) != 0 { try makeDirectory(parent) }
    guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw QueueWriteError(path) }
    try checkDirectoryIsSafe(path, ancestors: ancestors)
}
