import Testing
import Pipeline
@testable import ottt

@Suite("Terminal view and line output")
struct TerminalViewTests {
    static let context = OutputContext(title: "replay x.aedat4", classNames: ["left", "right", "up"], input: [2, 2, 2],
                                       binWidth: 10_000)

    static func prediction() -> Prediction {
        Prediction(step: 7, bins: 41...42, start: 410_000, end: 430_000, events: 1234, scores: [0.1, 2.0, -1],
                   predicted: 1, label: 0, loss: 0.5, reset: false, spikeRates: [0.25, 0.125])
    }

    static func status() -> PipelineStatus {
        var s = PipelineStatus()
        s.learning = true
        s.lag = 0.012
        s.eventRate = 1.5e6
        s.frames.merged = 3
        var m = PrequentialMetrics(classes: 3)
        m.score(predicted: 1, label: 0)
        s.metrics = m
        return s
    }

    /// The text without ANSI escapes.
    static func plain(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
    }

    @Test("the view shows the frame, top classes, rates, lag, learning, label and counters")
    func view() {
        let frame = BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: [1, 0, 0, 0, 1, 1, 0, 0])
        let text = Self.plain(TerminalView(context: Self.context) { _ in }.render(frame, Self.prediction(), Self.status()))
        #expect(text.contains("replay x.aedat4 → 2×2×2"))
        #expect(text.contains("learning on"))
        #expect(text.contains("label left"))
        #expect(text.contains("▶ right"))
        #expect(text.contains("1.50 M/s"))
        #expect(text.contains("lag 12 ms"))
        #expect(text.contains("merged 3"))
        #expect(text.contains("lif1 25.0%"))
        #expect(text.contains("0.0% (1 scored)"))
    }

    @Test("NaN and infinite scores (a diverged network) render without trapping (#7)",
          arguments: [[Float.nan, 1, 0], [.infinity, 1, 0], [.infinity, -.infinity, .nan], [.nan, .nan, .nan]])
    func nonFiniteScores(scores: [Float]) {
        var p = Self.prediction()
        p.scores = scores
        let frame = BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: [1, 0, 0, 0, 1, 1, 0, 0])
        let text = Self.plain(TerminalView(context: Self.context) { _ in }.render(frame, p, Self.status()))
        #expect(text.contains("left") && text.contains("right") && text.contains("up"))
    }

    @Test("bars clamp to their width and show NaN as empty (#7)")
    func bars() {
        #expect(TerminalView.barLength(.nan, width: 30) == 0)
        #expect(TerminalView.barLength(.infinity, width: 30) == 0)
        #expect(TerminalView.barLength(2, width: 30) == 30)
        #expect(TerminalView.barLength(-1, width: 30) == 0)
        #expect(TerminalView.barLength(0.5, width: 30) == 15)
    }

    @Test("half blocks: top pixel in the foreground, bottom in the background; ON orange, OFF blue, both white")
    func blocks() {
        // [2 channels, 2 rows, 1 column]: OFF at (0,0); ON at (0,0) and (1,0).
        let rows = TerminalView.frameBlocks([1, 0, 1, 1], height: 2, width: 1)
        #expect(rows == ["\u{1B}[38;5;231m\u{1B}[48;5;208m▀\u{1B}[0m"])
    }

    @Test("lines and JSON: one per prediction, then a summary")
    func lines() {
        var out: [String] = []
        let text = LinePrinter(json: false, context: Self.context) { out.append($0) }
        text.show(BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: []), Self.prediction(), Self.status())
        #expect(out.last?.hasPrefix("bin 41  t 0.430 s  predicted right") == true)
        #expect(out.last?.contains("label left") == true && out.last?.contains("(2 bins merged)") == true)
        let json = LinePrinter(json: true, context: Self.context) { out.append($0) }
        json.show(BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: []), Self.prediction(), Self.status())
        #expect(out.last?.contains("\"predicted\":1,\"name\":\"right\"") == true)
        #expect(out.last?.contains("\"label\":0") == true)
        json.finish(PipelineSummary(status: Self.status(), steps: 7, sourceError: "device \"gone\""))
        #expect(out.last?.contains("\"source_error\":\"device \\\"gone\\\"\"") == true)
    }
}
