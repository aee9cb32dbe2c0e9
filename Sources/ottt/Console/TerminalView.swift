import Foundation
import Pipeline
import WebView

/// The live view: redraws in place on a terminal (ANSI), at most `fps` times a second.
///
///     ottt live · DVXplorer 0042 → 2×32×32 · Δt 10 ms · learning on · label 3 (wave)
///     <the events at the sensor's resolution, shrunk to the terminal, in half blocks: ON orange, OFF blue, both
///      white, fading over a few draws (without a canvas: the network's input frame)>
///     top classes with bars, or "untrained" for a fresh network that has learned nothing yet
///     events/s · lag · step p50/p99 · dropped/merged · spike rates per layer · prequential accuracy
///     progress through the file (a replay) · the keys (with --teach)
final class TerminalView: PredictionOutput {
    private let context: OutputContext
    private let fps: Double
    private var lastDraw = 0.0
    private let clock = SystemClock()
    private let write: (String) -> Void
    private var drewOnce = false
    /// The events as the source read them (tapped by `EventTap`), drawn at the sensor's resolution.
    private let canvas: EventCanvas?
    private var picture: SensorPicture?
    private let progress: StreamProgress?
    private let legend: String?
    private var untrained: UntrainedTracker

    /// `canvas`: the source's events (nil: the network's input is drawn); `box`: the picture's room in text
    /// columns and pixel rows (nil: fit the terminal); `progress`: a replay's file position; `legend`: the keys.
    init(context: OutputContext, fps: Double = 20, canvas: EventCanvas? = nil, box: (columns: Int, pixelRows: Int)? = nil,
         progress: StreamProgress? = nil, legend: String? = nil,
         write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.context = context
        self.fps = fps
        self.write = write
        self.canvas = canvas
        self.progress = progress
        self.legend = legend
        untrained = UntrainedTracker(context.untrained)
        if let canvas {
            let room = box ?? TerminalView.pictureRoom(legend: legend != nil, progress: progress != nil)
            picture = SensorPicture(sensor: canvas.sensor, columns: room.columns, pixelRows: room.pixelRows)
        }
    }

    func show(_ frame: BinnedFrame, _ p: Prediction, _ status: PipelineStatus) {
        canvas?.advance(to: p.end)
        defer { untrained.observe(p) }
        let now = clock.now()
        guard now - lastDraw >= 1 / fps else { return }
        lastDraw = now
        write((drewOnce ? "\u{1B}[H" : "\u{1B}[2J\u{1B}[H") + render(frame, p, status) + "\u{1B}[J")
        drewOnce = true
    }

    /// The room for the picture on this terminal (80×24 when stdout is not one): the width less a margin, the
    /// height less the other lines, and no more than 96 columns by 96 pixel rows.
    static func pictureRoom(legend: Bool, progress: Bool) -> (columns: Int, pixelRows: Int) {
        var size = winsize()
        let (columns, rows) = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
            ? (Int(size.ws_col), Int(size.ws_row)) : (80, 24)
        let other = 10 + (legend ? 1 : 0) + (progress ? 1 : 0)
        return (min(max(columns - 2, 16), 96), min(max(2 * (rows - other), 16), 96))
    }

    func finish(_ summary: PipelineSummary) {
        write("\n" + summaryText(summary, context) + "\n")
    }

    /// The whole screen as text (lines end with erase-to-end-of-line so a shorter line leaves no debris); takes
    /// the canvas's events since the last call into the picture.
    func render(_ frame: BinnedFrame, _ p: Prediction, _ status: PipelineStatus) -> String {
        var lines: [String] = []
        let shape = context.input.map(String.init).joined(separator: "×")
        let learning = status.learning ? "\u{1B}[32mlearning on\u{1B}[0m" : "learning off"
        let sensor = picture.map { "\($0.sensor.width)×\($0.sensor.height) " } ?? ""
        lines.append("\u{1B}[1m\(context.title)\u{1B}[0m \(sensor)→ \(shape) · Δt \(Double(context.binWidth) / 1000) ms · "
                     + "\(learning) · label \(context.name(p.label))")
        if let canvas, picture != nil {
            picture?.add(packed: canvas.take().packed)
            lines += picture?.rows() ?? []
        } else {
            lines += TerminalView.frameBlocks(frame.values, height: context.input[1], width: context.input[2])
        }
        let probabilities = softmax(p.scores)
        let rank = probabilities.map { $0.isNaN ? -1 : $0 }                  // NaN last: a strict order to sort by
        let top = rank.indices.sorted { rank[$0] > rank[$1] }.prefix(5)
        if untrained.isUntrained { lines.append(UntrainedTracker.text) }
        for k in top where !untrained.isUntrained {
            let bar = String(repeating: "█", count: TerminalView.barLength(probabilities[k], width: 30))
            let mark = k == p.label ? " ◀ label" : ""
            lines.append(String(format: "%@ %-12@ %@ %.2f", k == p.predicted ? "▶" : " ",
                                context.name(k) as NSString, bar.padding(toLength: 30, withPad: " ", startingAt: 0), probabilities[k]) + mark)
        }
        let lag = status.lag.map { String(format: "%.0f ms", $0 * 1000) } ?? "-"
        let rate = status.eventRate >= 1e6 ? String(format: "%.2f M/s", status.eventRate / 1e6)
            : String(format: "%.1f k/s", status.eventRate / 1e3)
        lines.append(String(format: "events %@ · lag %@ · step p50 %@ p99 %@ · dropped %d merged %d",
                            rate, lag, milliseconds(status.latencyP50), milliseconds(status.latencyP99),
                            status.frames.dropped, status.frames.merged))
        lines.append("spikes " + p.spikeRates.enumerated().map { String(format: "lif%d %.1f%%", $0 + 1, $1 * 100) }
            .joined(separator: " · ") + String(format: " · bin %d · t %.2f s", p.bins.lowerBound, Double(p.end) / 1e6))
        if let m = status.metrics, m.scored > 0 {
            lines.append("prequential accuracy: last \(min(m.window, m.scored)) \(percent(m.rollingAccuracy)) · "
                         + "all \(percent(m.accuracy)) (\(m.scored) scored)")
        }
        if let reason = status.stopReason { lines.append("\u{1B}[31m\(reason)\u{1B}[0m") }
        if let line = progress?.text(at: p.end) { lines.append(line) }
        if let legend { lines.append("\u{1B}[2m\(legend)\u{1B}[0m") }
        return lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n")
    }

    /// Cells of a bar of `width` for probability `p`: NaN (a diverged network's scores) shows as empty, anything
    /// outside [0, 1] is clamped, so no score can trap the view.
    static func barLength(_ p: Double, width: Int) -> Int {
        guard p.isFinite else { return 0 }
        return Int((min(max(p, 0), 1) * Double(width)).rounded())
    }

    /// A [2, H, W] frame as rows of half blocks (two pixel rows per text row): ON orange, OFF blue, both white.
    static func frameBlocks(_ values: [Float], height: Int, width: Int) -> [String] {
        let plane = height * width
        guard values.count >= 2 * plane else { return [] }
        return halfBlocks(height: height, width: width) { y, x in
            guard y < height else { return 0 }
            let off = values[y * width + x] > 0, on = values[plane + y * width + x] > 0
            return on && off ? 231 : on ? 208 : off ? 33 : 16
        }
    }

    /// `height` pixel rows of `width` as text rows of half blocks: pixel row 2r in the foreground of text row r,
    /// 2r + 1 in its background, coloured by `colour(y, x)` (256-colour codes; y may be `height` on an odd height).
    static func halfBlocks(height: Int, width: Int, colour: (Int, Int) -> Int) -> [String] {
        stride(from: 0, to: height, by: 2).map { y in
            var row = "", previous = (-1, -1)
            for x in 0..<width {
                let c = (colour(y, x), colour(y + 1, x))
                if c != previous { row += "\u{1B}[38;5;\(c.0)m\u{1B}[48;5;\(c.1)m" }   // only when the colours change
                previous = c
                row += "▀"
            }
            return row + "\u{1B}[0m"
        }
    }
}
