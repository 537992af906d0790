#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// The bytes of one input, plain or gzip-compressed, read in chunks.
///
/// Everything goes through zlib's `gzread`, which decompresses gzip and passes any other
/// file through unchanged, so every reader handles `.gz` exports without knowing it.
/// A gzip stream that ends early or is corrupt does not throw: reading stops and
/// `endProblem` says why, so the comments read before it are still moderated and the
/// problem is reported like any other bad input.
public final class InputFile {
    public let source: InputSource
    /// The file's size on disk (compressed size for gzip), when it is a regular file.
    public let sizeOnDisk: Int64?
    /// Uncompressed bytes handed out so far.
    public private(set) var bytesRead: Int64 = 0
    /// Set when the input ended in a way it should not have (a truncated or corrupt gzip stream).
    public private(set) var endProblem: String?

    private let gz: gzFile
    /// Bytes read ahead by `peek` and not handed out yet.
    private var peeked: [UInt8] = []
    private var peekedStart = 0
    private var finished = false

    public init(_ source: InputSource) throws {
        self.source = source
        let descriptor: Int32
        if source.isStandardInput {
            // zlib closes the descriptor it is given; stdin must stay open for the process.
            descriptor = dup(STDIN_FILENO)
        } else {
            descriptor = open(source.path, O_RDONLY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            throw InputReadError(source: source.path, message: String(cString: strerror(errno)))
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw InputReadError(source: source.path, reason: .isDirectory)
        }
        sizeOnDisk = (status.st_mode & S_IFMT) == S_IFREG ? Int64(status.st_size) : nil
        guard let gz = gzdopen(descriptor, "rb") else {
            close(descriptor)
            throw InputReadError(source: source.path, message: "cannot allocate a read buffer")
        }
        self.gz = gz
        gzbuffer(gz, 1 << 18)
    }

    deinit { gzclose_r(gz) }

    /// Bytes of the file on disk consumed so far (compressed bytes for gzip): with
    /// `sizeOnDisk`, how far through the file the reading is.
    public var diskBytesRead: Int64 {
        let offset = Int64(gzoffset(gz))
        return offset >= 0 ? offset : bytesRead
    }

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

    private func readDecompressed(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        let count = Int(gzread(gz, buffer.baseAddress, UInt32(min(buffer.count, Int(Int32.max)))))
        var code: Int32 = 0
        let message = gzerror(gz, &code).map { String(cString: $0) } ?? "unknown error"
        if code == Z_ERRNO {
            throw InputReadError(source: source.displayName, message: String(cString: strerror(errno)))
        }
        if code != Z_OK {
            // Z_BUF_ERROR: the gzip stream stopped in the middle; Z_DATA_ERROR: corrupt data.
            // What came before is good; keep it and say what happened at the end.
            endProblem = code == Z_BUF_ERROR
                ? "the gzip stream ends early (the file is truncated)"
                : "the gzip stream is corrupt (\(message)); reading stopped there"
            finished = true
            return max(count, 0)
        }
        if count <= 0 { finished = true }
        return max(count, 0)
    }
}
