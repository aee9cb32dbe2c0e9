import Foundation

/// One self-overwriting progress line on stderr (fraction, rate, ETA) when stderr is a terminal; silent otherwise.
final class ProgressLine {
    private let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private let label: String

    init(_ label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.enabled = enabled
    }

    /// Redraws at most ten times a second. `done` and `total` are in bytes; `items` counts events so far.
    func update(done: Int64, total: Int64, items: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        let seconds = Double(now - start) / 1e9
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let rate = seconds > 0 ? Double(items) / seconds / 1e6 : 0
        let eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0
        let line = String(format: "\r%@ %5.1f%%  %.1f M events/s  ETA %.0f s   ", label, fraction * 100, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Redraws `label [bar] pct detail ETA` for `fraction` done (at most ten times a second); `detail` carries the
    /// rate and whatever else the caller measures.
    func update(fraction: Double, detail: @autoclosure () -> String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 || fraction >= 1 else { return }
        lastDraw = now
        let seconds = Double(now - start) / 1e9, f = min(1, max(0, fraction))
        let eta = f > 0 ? seconds * (1 - f) / f : 0
        let filled = Int(f * 20)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
        let line = String(format: "\r%@ [%@] %3.0f%%  %@  ETA %@\u{1B}[K", label, bar, f * 100, detail(), ProgressLine.duration(eta))
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// 75 → "1m15s".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
