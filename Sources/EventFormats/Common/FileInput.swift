import Glibc
import InputLimits

/// Sequential reading of a file through one reused window, so that memory stays constant whatever the file size.
///
/// Decoders ask for `need(n)` bytes at the cursor, read them through `bytes`, then `consume(n)`. The absolute
/// offset of the cursor is `offset`, for error messages. Records that straddle two reads are handled by moving
/// the unread tail to the front of the window before refilling it.
///
/// The path `-` reads standard input (named `stdin` in errors): it cannot seek, its `size` is 0 (unknown), and
/// the bytes it read but did not consume go back to the next `FileInput` on stdin when it is dropped.
public final class FileInput {
    /// The path as the user gave it (`stdin` for `-`).
    public let path: String
    /// Whether this reads standard input.
    public let isStandardInput: Bool
    private let fd: Int32
    private let window: UnsafeMutableRawPointer
    private let windowSize: Int
    /// Valid bytes in the window are [start, end).
    private var start = 0
    private var end = 0
    /// Absolute file offset of window[0].
    private var windowOffset: Int64 = 0
    private var atEOF = false
    /// The file's size when it was opened.
    public let size: Int64

    public init(path: String, windowSize: Int = 1 << 22) throws(EventFormatError) {
        precondition(windowSize >= 4096, "window of \(windowSize) bytes is too small")
        isStandardInput = StandardStreams.isStream(path)
        if isStandardInput {
            self.path = StandardStreams.inputName
            fd = STDIN_FILENO
            size = 0
            let kept = StandardStreams.takeBack()
            self.windowSize = max(windowSize, kept.bytes.count)
            window = .allocate(byteCount: self.windowSize, alignment: 64)
            kept.bytes.withUnsafeBytes { window.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(window), byteCount: $0.count) }
            end = kept.bytes.count
            windowOffset = kept.offset
            return
        }
        self.path = path
        // Checked before opening: open(2) on a FIFO waits for a writer, forever.
        if let problem = RegularFile.problem(with: path) {
            throw EventFormatError(.cannotOpen, file: path, offset: nil, expected: "a regular file", found: "a path that \(problem)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)   // and never blocking, should it change meanwhile
        guard fd >= 0 else {
            throw EventFormatError(.cannotOpen, file: path, offset: nil, expected: "a readable file",
                                   found: String(cString: strerror(errno)))
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw EventFormatError(.cannotOpen, file: path, offset: nil, expected: "a regular file",
                                   found: "a directory or special file")
        }
        self.fd = fd
        self.size = Int64(st.st_size)
        self.windowSize = windowSize
        self.window = .allocate(byteCount: windowSize, alignment: 64)
    }

    deinit {
        if isStandardInput {
            StandardStreams.giveBack(UnsafeRawBufferPointer(start: window + start, count: end - start), offset: offset)
        } else {
            close(fd)
        }
        window.deallocate()
    }

    /// Absolute offset of the cursor.
    public var offset: Int64 { windowOffset + Int64(start) }

    /// Bytes available at the cursor without another read.
    public var available: Int { end - start }

    /// Pointer to the cursor; valid for `available` bytes until the next `need`, `consume` or `seek`.
    public var bytes: UnsafeRawPointer { UnsafeRawPointer(window + start) }

    /// Makes at least `n` bytes available at the cursor if the file has them. Returns false at end of file with
    /// fewer than `n` bytes left (`available` then says how many). `n` may not exceed the window.
    public func need(_ n: Int) throws(EventFormatError) -> Bool {
        precondition(n <= windowSize, "asked for \(n) bytes, window is \(windowSize)")
        if end - start >= n { return true }
        try refill()
        while end - start < n && !atEOF { try refill() }
        return end - start >= n
    }

    /// Reads more into the window (moving the unread tail to the front first). Returns the bytes now available.
    @discardableResult
    public func refill() throws(EventFormatError) -> Int {
        if start > 0 {
            let tail = end - start
            if tail > 0 { window.copyMemory(from: window + start, byteCount: tail) }
            windowOffset += Int64(start)
            start = 0
            end = tail
        }
        while end < windowSize && !atEOF {
            let r = read(fd, window + end, windowSize - end)
            if r < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN && isStandardInput { waitForInput(); continue }   // a non-blocking stdin
                throw EventFormatError(.ioFailure, file: path, offset: windowOffset + Int64(end),
                                       expected: "readable bytes", found: String(cString: strerror(errno)))
            }
            if r == 0 { atEOF = true; break }
            end += r
            if end - start >= 1 << 16 { break }  // enough to work on; avoid blocking on huge windows
            if isStandardInput { break }         // a pipe's bytes are worked on as they come, not 64 KiB later
        }
        return end - start
    }

    /// Whether a reader holding `events` should deliver them now rather than read on: never for a file; on stdin,
    /// when it holds some and nothing more is waiting, so that a live producer's events are not held back.
    public func deliversNow(holding events: Int) -> Bool { events > 0 && !moreIsWaiting }

    /// Whether a read would return at once: always for a file; on stdin, when bytes (or the end) are waiting.
    private var moreIsWaiting: Bool {
        guard isStandardInput, !atEOF else { return true }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) != 0
    }

    /// Blocks until stdin has bytes to read (or is closed).
    private func waitForInput() {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, -1)
    }

    /// Whether every byte of the file has been consumed.
    public var isAtEnd: Bool { atEOF && start == end }

    public func consume(_ n: Int) {
        precondition(n <= end - start, "consumed \(n) bytes with \(end - start) available")
        start += n
    }

    /// Moves the cursor to an absolute offset (for seeking through an index).
    public func seek(to absolute: Int64) throws(EventFormatError) {
        if isStandardInput && absolute >= windowOffset && absolute <= windowOffset + Int64(end) {
            start = Int(absolute - windowOffset)
            return
        }
        guard !isStandardInput else {
            throw EventFormatError(.unsupported, file: path, offset: absolute,
                                   expected: "a format read front to back (\(EventFileFormat.pipeFormats))",
                                   found: "a seek in a pipe")
        }
        guard absolute >= 0 && absolute <= size else {
            throw EventFormatError(.badRecord, file: path, offset: absolute,
                                   expected: "an offset within the file (0...\(size))", found: "\(absolute)")
        }
        if absolute >= windowOffset && absolute <= windowOffset + Int64(end) {
            start = Int(absolute - windowOffset)
            return
        }
        guard lseek(fd, off_t(absolute), SEEK_SET) >= 0 else {
            throw EventFormatError(.ioFailure, file: path, offset: absolute, expected: "a seekable file",
                                   found: String(cString: strerror(errno)))
        }
        windowOffset = absolute
        start = 0
        end = 0
        atEOF = false
    }

    /// Reads exactly `n` bytes at the cursor into an array (headers, packets), or throws `truncated`
    /// naming `what` was being read.
    public func readBytes(_ n: Int, what: String) throws(EventFormatError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(n)
        var left = n
        while left > 0 {
            if available == 0 {
                try refill()
                if available == 0 {
                    throw EventFormatError(.truncated, file: path, offset: offset,
                                           expected: "\(left) more bytes of \(what)", found: "end of file")
                }
            }
            let take = min(left, available)
            out.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: take))
            consume(take)
            left -= take
        }
        return out
    }
}
