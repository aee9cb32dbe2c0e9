import DVSEvents
import Testing
import Pipeline
import WebView
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
        #expect(out.last?.contains("[remembering]") == false)
        var remembered = Self.prediction()
        remembered.remembering = true
        text.show(BinnedFrame(bins: 43...43, start: 0, end: 1, events: 1, values: []), remembered, Self.status())
        #expect(out.last?.hasSuffix("  [remembering]") == true)
        let json = LinePrinter(json: true, context: Self.context) { out.append($0) }
        json.show(BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: []), Self.prediction(), Self.status())
        #expect(out.last?.contains("\"predicted\":1,\"name\":\"right\"") == true)
        #expect(out.last?.contains("\"label\":0") == true)
        json.finish(PipelineSummary(status: Self.status(), steps: 7, sourceError: "device \"gone\""))
        #expect(out.last?.contains("\"source_error\":\"device \\\"gone\\\"\"") == true)
    }

    @Test("with a canvas, the view draws the events at the sensor's resolution, not the network's small input")
    func sensorResolution() {
        let sensor = SensorSize(width: 128, height: 128)
        let canvas = EventCanvas(sensor: sensor)
        let context = OutputContext(title: "replay g.aedat", classNames: ["a", "b", "c"], input: [2, 32, 32], binWidth: 10_000)
        // fps so low that `show` never draws: it only advances the canvas to the bin's end.
        let view = TerminalView(context: context, fps: 1e-9, canvas: canvas, box: (columns: 64, pixelRows: 64)) { _ in }
        canvas.add(EventBuffer([Event(t: 5_000, x: 100, y: 20, on: true), Event(t: 500_000, x: 0, y: 0, on: true)]))
        var p = Self.prediction()
        p.end = 10_000                                     // the second event lies after this bin: not drawn yet
        let frame = BinnedFrame(bins: 0...0, start: 0, end: 10_000, events: 1, values: [Float](repeating: 0, count: 2 * 32 * 32))
        view.show(frame, p, Self.status())
        let text = view.render(frame, p, Self.status())
        #expect(Self.plain(text).contains("replay g.aedat 128×128 → 2×32×32"))
        let rows = text.split(separator: "\n").map(String.init).filter { $0.contains("▀") }.map(decodeHalfBlocks)
        #expect(rows.count == 32 && rows.allSatisfy { $0.count == 64 }, "64×64 pixels, not the network's 32×32")
        let lit = rows.enumerated().flatMap { r, row in row.enumerated().filter { $0.element.top != 16 }.map { "\($0.offset),\(2 * r)" } }
        #expect(lit == ["50,10"], "only the event inside the bin, at (100, 20) / 2")
    }

    @Test("the keys' legend shows with --teach only", arguments: [
        (["--teach"], true), (["--teach-from", "labels.txt"], false), ([], false), (["--learn", "--teach"], true),
    ])
    func legend(words: [String], shown: Bool) throws {
        var a = Arguments(words)
        let options = try SessionOptions(&a)
        let legend = SessionConsole.keyLegend(options, classes: 3)
        #expect((legend != nil) == shown)
        let text = Self.plain(TerminalView(context: Self.context, legend: legend) { _ in }
            .render(BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: []), Self.prediction(), Self.status()))
        #expect(text.contains("0–2 teach") == shown && text.contains("space no label") == shown)
        #expect(text.contains("l learning on/off") == shown && text.contains("r reset") == shown && text.contains("q quit") == shown)
    }

    @Test("the legend names the digits the network has room for, and the keys KeyboardTeacher handles")
    func legendText() {
        #expect(Teaching.keyLegend(classes: 11).contains("0–9 teach"))
        #expect(Teaching.keyLegend(classes: 4).contains("0–3 teach"))
        #expect(Teaching.keyLegend(classes: 1).contains("keys: 0 teach"))
    }

    @Test("the view shows the progress a replay's reader reports")
    func progressLine() {
        let progress = StreamProgress()
        progress.update(bytesRead: 250_000, fileSize: 1_000_000, first: 1_000_000, last: 3_000_000)
        var p = Self.prediction()
        p.end = 2_000_000
        let text = Self.plain(TerminalView(context: Self.context, progress: progress) { _ in }
            .render(BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: []), p, Self.status()))
        #expect(text.contains("12% · 1.0 s of ~8.0 s (1.0 MB)"), "\(text)")
    }

    @Test("a fresh network says 'untrained' until a step has learned, then predicts")
    func untrained() {
        var context = Self.context
        context.untrained = true
        var out: [String] = []
        let lines = LinePrinter(json: false, context: context) { out.append($0) }
        let view = TerminalView(context: context) { _ in }
        let frame = BinnedFrame(bins: 41...42, start: 0, end: 1, events: 1, values: [])
        var p = Self.prediction()
        p.loss = nil
        lines.show(frame, p, Self.status())
        #expect(out.last?.contains("untrained") == true && out.last?.contains("predicted") == false, "\(out)")
        let before = Self.plain(view.render(frame, p, Self.status()))
        #expect(before.contains("untrained") && !before.contains("▶ right"))
        p.loss = 0.5                                        // this step learns: the next ones predict
        lines.show(frame, p, Self.status())
        view.show(frame, p, Self.status())
        lines.show(frame, p, Self.status())
        #expect(out.last?.contains("predicted right") == true, "\(out)")
        #expect(Self.plain(view.render(frame, p, Self.status())).contains("▶ right"))
        // A model (not fresh) predicts from the first step.
        var trained: [String] = []
        var q = Self.prediction()
        q.loss = nil
        LinePrinter(json: false, context: Self.context) { trained.append($0) }.show(frame, q, Self.status())
        #expect(trained.last?.contains("predicted right") == true)
    }
}
