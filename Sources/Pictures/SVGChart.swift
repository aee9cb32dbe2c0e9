import Foundation

/// A line chart drawn as standalone SVG: one or more series of (x, y) points on linear axes with ticks, a grid,
/// axis labels and a legend in rows between the title and the plot, outside the plot's frame, so that it never
/// covers the data (names too long for the chart's width are cut short with "…").
/// `SVGChart.page` lays several charts side by side in one file (the loss and accuracy curves of
/// `ottt train --plot`, the memory chart of `ottt bench train`).
///
///     var chart = SVGChart(title: "loss", xLabel: "epoch", yLabel: "loss")
///     chart.add("train", [(1, 2.1), (2, 1.4)])
///     try SVGChart.page([chart]).write(toFile: "loss.svg", atomically: true, encoding: .utf8)
public struct SVGChart: Sendable {
    /// One curve: its name in the legend, its finite points in order, drawn solid or dashed.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var dashed = false
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public private(set) var series: [Series] = []
    /// Fixed y range (for example 0…100 for percentages); nil fits the data, starting at 0 when all y ≥ 0.
    public var yRange: ClosedRange<Double>? = nil
    /// Whether x takes whole values only (epochs, time steps): ticks then fall on integers.
    public var integerX = false

    static let width = 480.0, height = 320.0
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
    /// The plot's left, right and bottom margins (room for tick labels and axis labels).
    static let left = 64.0, right = 16.0, bottom = 48.0
    /// The top margin of a chart without a legend (room for the title), and the height of one legend row.
    static let titleSpace = 36.0, legendRow = 16.0

    public init(title: String, xLabel: String, yLabel: String, yRange: ClosedRange<Double>? = nil,
                integerX: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.yRange = yRange; self.integerX = integerX
    }

    /// Adds a curve; points with a non-finite coordinate are dropped.
    public mutating func add(_ name: String, _ points: [(x: Double, y: Double)], dashed: Bool = false) {
        series.append(Series(name: name, points: points.filter { $0.x.isFinite && $0.y.isFinite }, dashed: dashed))
    }

    /// The width of one character of the legend's 11-pixel sans-serif text, a generous estimate.
    static let characterWidth = 6.5

    /// A series' name as the legend shows it: cut short with "…" so that its entry fits the plot's width (a longer
    /// one would run past the chart's edge, over the next chart on the page).
    func legendName(_ name: String) -> String {
        let room = Int((SVGChart.width - SVGChart.left - SVGChart.right - 34 - 12) / SVGChart.characterWidth)
        return name.count <= room ? name : String(name.prefix(room - 1)) + "…"
    }

    /// Where each legend entry starts (x from the chart's left edge, row from 0): entries run left to right over
    /// the plot's width and wrap to a new row when the next one would not fit.
    var legendLayout: [(x: Double, row: Int)] {
        let left = SVGChart.left, right = SVGChart.width - SVGChart.right
        var x = left, row = 0
        return series.map { s in
            let entry = 34 + SVGChart.characterWidth * Double(legendName(s.name).count) + 12   // sample line, name, gap
            if x > left && x + entry > right { x = left; row += 1 }
            defer { x += entry }
            return (x, row)
        }
    }

    /// The text baseline of legend row `row`.
    static func legendBaseline(row: Int) -> Double { titleSpace + 2 + Double(row) * legendRow }

    /// Each legend entry's box (its sample line and name, ascent to descent) in the chart's coordinates.
    var legendBoxes: [(x: Double, y: Double, width: Double, height: Double)] {
        zip(series, legendLayout).map { s, entry in
            let baseline = SVGChart.legendBaseline(row: entry.row)
            return (entry.x, baseline - 11, 22 + SVGChart.characterWidth * Double(legendName(s.name).count), 14)
        }
    }

    /// The plot's rectangle (the framed area the data is drawn in) in the chart's coordinates.
    var plotRectangle: (x: Double, y: Double, width: Double, height: Double) {
        let m = margin
        return (m.left, m.top, SVGChart.width - m.left - m.right, SVGChart.height - m.top - m.bottom)
    }

    /// The plot's margins inside the chart: the top one grows by a row for each row of the legend (and a gap).
    var margin: (left: Double, right: Double, top: Double, bottom: Double) {
        let rows = Double((legendLayout.last?.row).map { $0 + 1 } ?? 0)
        let legend = rows > 0 ? rows * SVGChart.legendRow + 6 : 0
        return (SVGChart.left, SVGChart.right, SVGChart.titleSpace + legend, SVGChart.bottom)
    }

    /// The x and y ranges drawn: the data's (y from 0 when the data is non-negative), widened when degenerate.
    var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let all = series.flatMap(\.points)
        var x0 = all.map(\.x).min() ?? 0, x1 = all.map(\.x).max() ?? 1
        if x1 <= x0 { x0 -= 1; x1 += 1 }
        if let yRange { return (x0...x1, yRange) }
        var y0 = all.map(\.y).min() ?? 0, y1 = all.map(\.y).max() ?? 1
        if y0 >= 0 { y0 = 0 }
        if y1 <= y0 { y1 = y0 + 1 }
        return (x0...x1, y0...(y1 + (y1 - y0) * 0.05))
    }

    /// Where a data point lands inside a chart whose top-left corner is (0, 0).
    func position(x: Double, y: Double) -> (x: Double, y: Double) {
        let (xr, yr) = ranges, m = margin
        let plotW = SVGChart.width - m.left - m.right, plotH = SVGChart.height - m.top - m.bottom
        return (m.left + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * plotW,
                m.top + plotH - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * plotH)
    }

    /// The chart as an SVG group translated to (`dx`, 0).
    func group(dx: Double) -> String {
        let (xr, yr) = ranges, m = margin, w = SVGChart.width, h = SVGChart.height
        var out = "<g transform=\"translate(\(f(dx)),0)\">\n"
        out += "<text x=\"\(f(w / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(xmlEscaped(title))</text>\n"
        for v in SVGChart.ticks(yr) {
            let p = position(x: xr.lowerBound, y: v)
            out += "<line x1=\"\(f(m.left))\" y1=\"\(f(p.y))\" x2=\"\(f(w - m.right))\" y2=\"\(f(p.y))\" stroke=\"#e0e0e0\"/>"
            out += "<text x=\"\(f(m.left - 6))\" y=\"\(f(p.y + 4))\" text-anchor=\"end\">\(SVGChart.label(v))</text>\n"
        }
        for v in SVGChart.ticks(xr, minimumStep: integerX ? 1 : 0) {
            let p = position(x: v, y: yr.lowerBound)
            out += "<line x1=\"\(f(p.x))\" y1=\"\(f(h - m.bottom))\" x2=\"\(f(p.x))\" y2=\"\(f(h - m.bottom + 4))\" stroke=\"black\"/>"
            out += "<text x=\"\(f(p.x))\" y=\"\(f(h - m.bottom + 18))\" text-anchor=\"middle\">\(SVGChart.label(v))</text>\n"
        }
        out += "<rect x=\"\(f(m.left))\" y=\"\(f(m.top))\" width=\"\(f(w - m.left - m.right))\" height=\"\(f(h - m.top - m.bottom))\" fill=\"none\" stroke=\"black\"/>\n"
        out += "<text x=\"\(f((m.left + w - m.right) / 2))\" y=\"\(f(h - 10))\" text-anchor=\"middle\">\(xmlEscaped(xLabel))</text>\n"
        out += "<text x=\"16\" y=\"\(f((m.top + h - m.bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f((m.top + h - m.bottom) / 2)))\">\(xmlEscaped(yLabel))</text>\n"
        for (i, (s, entry)) in zip(series, legendLayout).enumerated() {
            let color = SVGChart.colors[i % SVGChart.colors.count]
            let points = s.points.map { position(x: $0.x, y: $0.y) }
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            if points.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\""
                    + points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ") + "\"/>\n"
            }
            for p in points { out += "<circle cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"2.5\" fill=\"\(color)\"/>" }
            let ly = SVGChart.legendBaseline(row: entry.row)
            out += "\n<line x1=\"\(f(entry.x))\" y1=\"\(f(ly - 4))\" x2=\"\(f(entry.x + 18))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(f(entry.x + 22))\" y=\"\(f(ly))\">\(xmlEscaped(legendName(s.name)))</text>\n"
        }
        return out + "</g>\n"
    }

    /// Charts side by side in one SVG document.
    public static func page(_ charts: [SVGChart]) -> String {
        let w = width * Double(max(charts.count, 1))
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(w)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (i, chart) in charts.enumerated() { out += chart.group(dx: Double(i) * width) }
        return out + "</svg>\n"
    }

    /// Writes `charts` to `path` (an SVG file), atomically.
    public static func write(_ charts: [SVGChart], to path: String) throws(PictureWriteError) {
        do { try page(charts).write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw .write(path: path, reason: error.localizedDescription)
        }
    }

    /// About five round tick values (1, 2 or 5 × 10ⁿ apart) inside `range`.
    static func ticks(_ range: ClosedRange<Double>, minimumStep: Double = 0) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5, magnitude = pow(10, floor(log10(raw)))
        let step = max(minimumStep, [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw)
        var v = (range.lowerBound / step).rounded(.up) * step
        var out: [Double] = []
        while v <= range.upperBound + step * 1e-9 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: abs(v) < 0.01 ? "%.2g" : "%.3g", v)
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// Text made safe for XML content and attribute values (`&`, `<`, `>`, `"`).
func xmlEscaped(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
