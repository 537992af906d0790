/// A small file replaced as one step, for monitors that read it at any moment (`--metrics`):
/// see `PosixFile.replaceAtomically` (a temporary owner-only file in the same directory,
/// synced, then renamed over the old one; a link planted at the path is replaced, never
/// written through).
public enum AtomicFile {
    public static func replace(_ path: String, with bytes: [UInt8]) throws {
        try PosixFile.replaceAtomically(path, with: bytes)
    }
}
