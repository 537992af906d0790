#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// The bytes of one input, plain or gzip-compressed, read in chunks.
///
/// A file that starts with gzip's magic bytes is decompressed with zlib's `inflate`; any other
/// is passed through unchanged, so every reader handles `.gz` exports without knowing it.
/// Every byte is either handed out or reported (README, "Security"):
/// - concatenated gzip members (`cat a.gz b.gz`) are all read, as gzip(1) reads them;
/// - zero bytes after the last member (padding to a block size) are ignored, as gzip(1) does;
/// - anything else after the last member, a stream that ends early, or corrupt data stops
///   reading without throwing: `endProblem` says why (and `endRaw` holds the start of what was
///   not read), so the comments before it are still moderated and the problem is reported
///   like any other bad input.
///
/// zlib's `gzread`, used before, stops silently at bytes after a member that are not gzip
/// ("trailing garbage"), and cannot say where a member ended; hence `inflate` by hand.
public final class InputFile {
    public let source: InputSource
    /// The file's size on disk (compressed size for gzip), when it is a regular file.
    public let sizeOnDisk: Int64?
    /// Uncompressed bytes handed out so far.
    public private(set) var bytesRead: Int64 = 0
    /// Set when the input ended in a way it should not have (a truncated or corrupt gzip
    /// stream, or bytes after it that are not gzip).
    public private(set) var endProblem: String?
    /// With `endProblem`: the first bytes that were not read (at most 64 KiB), for errors.jsonl.
    public private(set) var endRaw: [UInt8] = []
    /// True once the input is known to be gzip-compressed (after the first read or peek).
    public var isCompressed: Bool { mode == .gzip }

    private let descriptor: Int32
    private enum Mode { case undecided, plain, gzip }
    private var mode = Mode.undecided
    /// Raw bytes read from the descriptor and not consumed yet: `input[inputStart..<inputEnd]`.
    private var input = [UInt8](repeating: 0, count: 1 << 18)
    private var inputStart = 0
    private var inputEnd = 0
    private var descriptorAtEnd = false
    /// Raw bytes read from the descriptor so far.
    private var rawBytesRead: Int64 = 0
    private var stream = z_stream()
    private var streamOpen = false
    /// Inside a gzip member (its header seen, its trailer not yet).
    private var inMember = false
    /// Bytes read ahead by `peek` and not handed out yet.
    private var peeked: [UInt8] = []
    private var peekedStart = 0
    private var finished = false

    /// What an input may be: a regular file or a pipe end (a FIFO, a socket, `<(cmd)`), or a
    /// terminal. Other devices are refused: `/dev/zero` or `/dev/urandom` never end, and a
    /// disk is not an export. `/dev/null` is allowed: it is an empty input, as in `cmd < /dev/null`.
    public init(_ source: InputSource) throws {
        self.source = source
        let descriptor: Int32
        if source.isStandardInput {
            // This object closes its descriptor; stdin must stay open for the process.
            descriptor = dup(STDIN_FILENO)
        } else {
            descriptor = open(source.path, O_RDONLY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            throw InputReadError(source: source.path, message: String(cString: strerror(errno)))
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR {
                close(descriptor)
                throw InputReadError(source: source.path, reason: .isDirectory)
            }
            if (kind == S_IFCHR && isatty(descriptor) == 0 && !Self.isDevNull(status)) || kind == S_IFBLK {
                close(descriptor)
                throw InputReadError(source: source.displayName,
                                     reason: .notAFileOrPipe(kind: kind == S_IFBLK ? "a block device" : "a character device"))
            }
        }
        sizeOnDisk = (status.st_mode & S_IFMT) == S_IFREG ? Int64(status.st_size) : nil
        self.descriptor = descriptor
    }

    private static func isDevNull(_ status: stat) -> Bool {
        var null = stat()
        return stat("/dev/null", &null) == 0 && null.st_rdev == status.st_rdev && (null.st_mode & S_IFMT) == S_IFCHR
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
        close(descriptor)
    }

    /// Bytes of the file on disk consumed so far (compressed bytes for gzip): with
    /// `sizeOnDisk`, how far through the file the reading is.
    public var diskBytesRead: Int64 { rawBytesRead - Int64(inputEnd - inputStart) }

    /// Up to `count` bytes from the start of what is left, without consuming them.
    public func peek(_ count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try chunk.withUnsafeMutableBytes { try readDecompressed(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if got == 0 { break }
            filled += got
        }
        peeked.append(contentsOf: chunk[0..<filled])
        return Array(peeked[peekedStart...])
    }

    /// Like `peek`, but reads at most once (on a pipe: what has arrived so far, waiting only
    /// if nothing has), up to `count` more bytes. Returns everything peeked, and whether the
    /// input ended. Format detection uses it so a pipe that sends one comment and pauses is
    /// moderated at once, not after 8 KiB have arrived.
    public func peekOnce(_ count: Int) throws -> (bytes: [UInt8], ended: Bool) {
        var chunk = [UInt8](repeating: 0, count: count)
        let got = try chunk.withUnsafeMutableBytes { try readDecompressed(into: $0) }
        peeked.append(contentsOf: chunk[0..<got])
        return (Array(peeked[peekedStart...]), got == 0)
    }

    /// Fills `buffer` with the next bytes; 0 at the end of the input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if peekedStart < peeked.count {
            let count = min(buffer.count, peeked.count - peekedStart)
            peeked.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + peekedStart, byteCount: count) }
            peekedStart += count
            if peekedStart == peeked.count { peeked = []; peekedStart = 0 }
            bytesRead += Int64(count)
            return count
        }
        let count = try readDecompressed(into: buffer)
        bytesRead += Int64(count)
        return count
    }

    // MARK: Raw input

    private var buffered: Int { inputEnd - inputStart }

    /// Reads more raw bytes behind those buffered; false at the end of the descriptor.
    private func fillInput() throws -> Bool {
        guard !descriptorAtEnd else { return false }
        if inputStart > 0 {
            input.withUnsafeMutableBytes { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + inputStart, inputEnd - inputStart)
            }
            inputEnd -= inputStart
            inputStart = 0
        }
        while true {
            guard inputEnd < input.count else { return true }  // full: the caller consumes first
            let count = input.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + inputEnd, $0.count - inputEnd) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputReadError(source: source.displayName, message: String(cString: strerror(errno)))
            }
            if count == 0 { descriptorAtEnd = true; return false }
            inputEnd += count
            rawBytesRead += Int64(count)
            return true
        }
    }

    /// True when at least `count` raw bytes are buffered, reading more as needed.
    private func buffer(atLeast count: Int) throws -> Bool {
        while buffered < count {
            guard try fillInput() else { return false }
        }
        return true
    }

    private var startsWithGzipMagic: Bool { buffered >= 2 && input[inputStart] == 0x1F && input[inputStart + 1] == 0x8B }

    // MARK: Decompression

    private func readDecompressed(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        if mode == .undecided {
            _ = try self.buffer(atLeast: 2)
            mode = startsWithGzipMagic ? .gzip : .plain
        }
        if mode == .plain {
            if try self.buffered == 0 && !fillInput() { finished = true; return 0 }
            let count = min(buffer.count, self.buffered)
            input.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + inputStart, byteCount: count) }
            inputStart += count
            return count
        }
        return try inflate(into: buffer)
    }

    /// Decompresses into `buffer` until something comes out or the input ends.
    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if !inMember {
                guard try startNextMember() else { finished = true; return 0 }
            }
            if try self.buffered == 0 && !fillInput() {
                // The file ends inside a member: everything inflated so far is good.
                stop("the gzip stream ends early (the file is truncated)")
                return 0
            }
            let available = self.buffered
            let result: Int32 = input.withUnsafeMutableBytes { raw in
                stream.next_in = raw.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputStart
                stream.avail_in = uInt(available)
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
                let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                stream.next_in = nil
                return code
            }
            inputStart += available - Int(stream.avail_in)
            let produced = min(buffer.count, Int(UInt32.max)) - Int(stream.avail_out)
            switch result {
            case Z_STREAM_END:
                inMember = false
                if produced > 0 { return produced }
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR: no progress was possible, more input is needed (read above).
                if produced > 0 { return produced }
            case Z_MEM_ERROR:
                throw InputReadError(source: source.displayName, message: "out of memory decompressing gzip")
            default:
                // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR: corrupt data. What came before is good.
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(result)"
                stop("the gzip stream is corrupt (\(message)); reading stopped there")
                return produced
            }
        }
    }

    /// At the start of the file or after a member's end: begins the next member; false when
    /// there is none (the end of the input, or zero padding, or bytes that are not gzip,
    /// which `endProblem` then reports).
    private func startNextMember() throws -> Bool {
        _ = try buffer(atLeast: 2)
        if buffered == 0 { return false }
        if startsWithGzipMagic {
            if streamOpen {
                inflateReset(&stream)
            } else {
                // 15 + 16: a gzip header and trailer around a deflate stream with a 32 KiB window.
                guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    throw InputReadError(source: source.displayName, message: "cannot start gzip decompression")
                }
                streamOpen = true
            }
            inMember = true
            return true
        }
        // Not a member. Zero padding to the end of the file is fine (gzip -d ignores it too);
        // anything else is input that would be lost without a word.
        repeat {
            if let nonZero = input[inputStart..<inputEnd].firstIndex(where: { $0 != 0 }) {
                inputStart = nonZero
                let offset = diskBytesRead
                _ = try buffer(atLeast: 64 << 10)
                endRaw = Array(input[inputStart..<min(inputEnd, inputStart + (64 << 10))])
                stop("the data after the end of the gzip stream, from compressed byte \(offset), is not gzip (gzip -d would say \"trailing garbage ignored\"): it is not read")
                return false
            }
            inputStart = inputEnd
        } while try fillInput()
        return false
    }

    private func stop(_ problem: String) {
        endProblem = problem
        finished = true
    }
}

/// read(2), out of the way of `InputFile.read(into:)`, whose name hides it inside the class.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
