import DVSEvents
import EventFormats
import Foundation

/// How far a replay has read its file, for the view's progress line: written by the reader thread after each chunk
/// (`ProgressTap`), read by the view. The reader runs at most a chunk and the frame queue ahead of the learner.
final class StreamProgress: @unchecked Sendable {
    // @unchecked: `read` and `size` are accessed with `lock` held.
    private let lock = NSLock()
    private var read: Int64 = 0
    private var size: Int64 = 0

    func update(bytesRead: Int64, fileSize: Int64) {
        lock.lock(); defer { lock.unlock() }
        (read, size) = (bytesRead, fileSize)
    }

    /// Bytes read so far and the file's size.
    var bytes: (read: Int64, size: Int64) { lock.lock(); defer { lock.unlock() }; return (read, size) }

    /// The fraction of the file read, in [0, 1]; nil before the size is known (or for an empty file).
    var fraction: Double? {
        let (read, size) = bytes
        guard size > 0 else { return nil }
        return min(max(Double(read) / Double(size), 0), 1)
    }

    /// `progress ▕████░░░░▏ 36% of 12.3 MB`.
    static func text(fraction: Double, fileSize: Int64, width: Int = 20) -> String {
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let filled = Int((f * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "progress ▕\(bar)▏ \(Int((f * 100).rounded(.down)))% of \(megabytes(fileSize))"
    }

    /// The line for the view, nil while the size is unknown.
    var text: String? {
        guard let fraction else { return nil }
        return StreamProgress.text(fraction: fraction, fileSize: bytes.size)
    }

    static func megabytes(_ n: Int64) -> String {
        n >= 1_000_000 ? String(format: "%.1f MB", Double(n) / 1e6) : String(format: "%.0f kB", (Double(n) / 1e3).rounded(.up))
    }
}

/// A file reader whose position is noted on a `StreamProgress` after every chunk (on the reader thread).
final class ProgressTap: EventSource {
    private let source: any EventSource
    private let position: any ReadProgress
    let progress = StreamProgress()
    var info: StreamInfo { source.info }

    /// Nil when `source` does not know its position in a file (a camera, the simulator).
    init?(_ source: any EventSource) {
        guard let position = source as? any ReadProgress else { return nil }
        self.source = source
        self.position = position
        progress.update(bytesRead: position.bytesRead, fileSize: position.fileSize)
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        let more = try source.read(into: buffer)
        progress.update(bytesRead: more ? position.bytesRead : position.fileSize, fileSize: position.fileSize)
        return more
    }
}
