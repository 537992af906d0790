#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A queue-directory file could not be opened, written, synced or locked.
public struct QueueWriteError: Error, CustomStringConvertible {
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

    /// Opens for appending (created 0600 if missing: queue files hold emails and IPs).
    init(appendingTo path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw QueueWriteError(path) }
    }

    /// Creates a scratch file in `directory` that nobody else can open: a new name
    /// (`prefix` and 64 random bits, `O_EXCL`), owner-only, not inherited by child processes,
    /// and unlinked at once, so that it disappears when it is closed or the process dies.
    /// `path` stays its former name, for error messages.
    init(scratchIn directory: String, prefix: String) throws {
        while true {
            let path = directory + "/" + prefix + String(UInt64.random(in: .min ... .max), radix: 16)
            let opened = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
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

/// Makes a directory and its parents, owner-only.
func makeDirectory(_ path: String) throws {
    var status = stat()
    if stat(path, &status) == 0 {
        guard (status.st_mode & S_IFMT) == S_IFDIR else { throw QueueWriteError(path, "exists and is not a directory") }
        return
    }
    let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    if !parent.isEmpty && stat(parent, &status) != 0 { try makeDirectory(parent) }
    guard mkdir(path, 0o700) == 0 || errno == EEXIST else { throw QueueWriteError(path) }
}
