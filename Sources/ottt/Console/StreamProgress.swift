import DVSEvents
import EventFormats
import Foundation

/// How far a replay is through its file, for the view's progress line: the reader thread notes the bytes and the
/// event times it has read after each chunk (`ProgressTap`), the view asks where the learner's time `t` stands.
/// The stream's length is exact once the reader reaches the end of the file, and estimated from the bytes read
/// until then (the reader runs at most a chunk and the frame queue ahead of the learner).
final class StreamProgress: @unchecked Sendable {
    // @unchecked: the fields are accessed with `lock` held.
    private let lock = NSLock()
    private var read: Int64 = 0
    private var size: Int64 = 0
    private var first: Microseconds?
    private var last: Microseconds?

    /// Notes the reader's position and the times of the events it has read, first to last so far.
    func update(bytesRead: Int64, fileSize: Int64, first: Microseconds? = nil, last: Microseconds? = nil) {
        lock.lock(); defer { lock.unlock() }
        (read, size) = (bytesRead, fileSize)
        if self.first == nil { self.first = first }
        if let last { self.last = last }
    }

    /// The line for the view with the learner at stream time `t`: nil before the first events are read.
    func text(at t: Microseconds) -> String? {
        lock.lock()
        let (read, size, first, last) = (self.read, self.size, self.first, self.last)
        lock.unlock()
        guard let first, let last, size > 0 else { return nil }
        let readFraction = min(max(Double(read) / Double(size), 1e-9), 1)
        let complete = read >= size
        let total = Double(last - first) / 1e6 / (complete ? 1 : readFraction)
        return StreamProgress.text(position: Double(t - first) / 1e6, total: total, estimated: !complete, fileSize: size)
    }

    /// `progress ▕███████░░░░░░░░░░░░░▏ 36% · 4.2 s of 11.6 s (12.3 MB)`; `~` before an estimated length.
    static func text(position: Double, total: Double, estimated: Bool, fileSize: Int64, width: Int = 20) -> String {
        let f = total > 0 && position.isFinite && total.isFinite ? min(max(position / total, 0), 1) : 0
        let filled = Int((f * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let length = (estimated ? "~" : "") + seconds(total)
        return "progress ▕\(bar)▏ \(Int((f * 100).rounded(.down)))% · \(seconds(max(position, 0))) of \(length) "
            + "(\(megabytes(fileSize)))"
    }

    static func seconds(_ s: Double) -> String {
        guard s.isFinite else { return "-" }
        return s < 60 ? String(format: "%.1f s", s) : String(format: "%d:%02d", Int(s) / 60, Int(s) % 60)
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
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        let more = try source.read(into: buffer)
        let t = buffer.t
        progress.update(bytesRead: more ? position.bytesRead : position.fileSize, fileSize: position.fileSize,
                        first: t.first, last: t.last)
        return more
    }
}
