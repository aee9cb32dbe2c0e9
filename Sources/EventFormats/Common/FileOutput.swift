import Glibc
import InputLimits

/// Buffered writing to a file that appears only when complete: bytes go to `path.partial-<pid>`, and `finish()`
/// flushes, fsyncs and renames it into place. A writer that is dropped without `finish()` removes its temp file.
///
/// The path `-` writes standard output (named `stdout` in errors) as it goes: nothing to rename, patch or sync.
/// A reader that went away (`| head`) is the error `outputClosed`, which callers end on quietly.
public final class FileOutput {
    public let path: String
    private let tempPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20
    /// Bytes written so far (including buffered ones): the offset of the next byte.
    public private(set) var offset: Int64 = 0

    /// Whether the file is written under its own name (`inPlace`): then nothing is renamed or removed, and what was
    /// flushed stays when the process dies.
    public let inPlace: Bool
    /// Whether this writes standard output.
    public let isStandardOutput: Bool

    /// Writes `path.partial-<pid>` renamed by `finish()`, or with `inPlace` `path` itself (a recording that must
    /// survive a crash as far as it was flushed).
    public init(path: String, inPlace: Bool = false) throws(EventFormatError) {
        if StandardStreams.isStream(path) {
            self.path = StandardStreams.outputName
            self.inPlace = true
            tempPath = self.path
            fd = STDOUT_FILENO
            isStandardOutput = true
            return
        }
        isStandardOutput = false
        self.path = path
        self.inPlace = inPlace
        PartialFiles.removeStale(for: path)               // left by a writer that was killed (SIGKILL)
        self.tempPath = inPlace ? path : PartialFiles.temporary(for: path)
        if !inPlace { PartialFiles.register(tempPath) }   // removed at SIGINT/SIGTERM if still there
        fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EventFormatError(.cannotOpen, file: path, offset: nil, expected: "a writable location",
                                   found: String(cString: strerror(errno)))
        }
        buffer.reserveCapacity(flushThreshold * 2)
        if inPlace { FileSync.directory(containing: path) }   // the new name survives a power cut
    }

    deinit {
        if isStandardOutput { return }
        if fd >= 0 {
            close(fd)
            if !inPlace { unlink(tempPath) }
        }
        if !inPlace { PartialFiles.unregister(tempPath) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(EventFormatError) {
        buffer.append(contentsOf: bytes)
        offset += Int64(bytes.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func write(_ bytes: [UInt8]) throws(EventFormatError) {
        buffer.append(contentsOf: bytes)
        offset += Int64(bytes.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func write(_ string: String) throws(EventFormatError) {
        try write(Array(string.utf8))
    }

    /// Little-endian scalar.
    public func write<T: FixedWidthInteger>(littleEndian value: T) throws(EventFormatError) {
        var v = value.littleEndian
        try withUnsafeBytes(of: &v) { (raw) throws(EventFormatError) in try write(raw) }
    }

    /// Big-endian scalar.
    public func write<T: FixedWidthInteger>(bigEndian value: T) throws(EventFormatError) {
        var v = value.bigEndian
        try withUnsafeBytes(of: &v) { (raw) throws(EventFormatError) in try write(raw) }
    }

    /// Overwrites already-written bytes at `at` (patching a header field once the body is known).
    public func patch(at: Int64, _ bytes: [UInt8]) throws(EventFormatError) {
        precondition(at + Int64(bytes.count) <= offset, "patch beyond what was written")
        precondition(!isStandardOutput, "patched stdout: only formats that stream through pipes may write to it")
        try flush()
        let ok = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(at)) == $0.count }
        guard ok else { throw ioError() }
    }

    public func flush() throws(EventFormatError) {
        var done = 0
        while done < buffer.count {
            let r = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if r < 0 {
                if errno == EINTR { continue }
                throw ioError()
            }
            done += r
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and renames the file into place, then fsyncs its directory (`FileSync`). After this the
    /// writer is closed.
    public func finish() throws(EventFormatError) {
        try flush()
        if isStandardOutput { return }
        guard FileSync.file(fd, path: tempPath) else { throw ioError() }
        close(fd)
        fd = -1
        if inPlace { return }
        guard rename(tempPath, path) == 0 else {
            let e = ioError()
            unlink(tempPath)
            throw e
        }
        FileSync.directory(containing: path)                  // the rename survives a power cut
    }

    /// Flushes and fsyncs what was written so far (a recording written as it goes, at most once a second): the
    /// bytes survive a power cut, not only a killed process.
    public func sync() throws(EventFormatError) {
        try flush()
        guard FileSync.file(fd, path: tempPath) else { throw ioError() }
    }

    private func ioError() -> EventFormatError {
        if errno == EPIPE {
            return EventFormatError(.outputClosed, file: path, offset: offset, expected: "a reader of the output",
                                    found: "it closed (broken pipe)")
        }
        return EventFormatError(.ioFailure, file: path, offset: offset, expected: "a successful write",
                         found: String(cString: strerror(errno)))
    }
}
