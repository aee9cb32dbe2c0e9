import EventFormats
import Foundation

/// A line chart drawn as standalone SVG: one or more series of (x, y) points on linear axes with ticks, a grid,
/// axis labels and a legend. `SVGChart.page` lays several charts side by side in one file (the loss and accuracy
/// curves of `ottt train --plot`, the memory chart of `ottt bench train`).
///
///     var chart = SVGChart(title: "loss", xLabel: "epoch", yLabel: "loss")
///     chart.add("train", [(1, 2.1), (2, 1.4)])
///     try SVGChart.page([chart]).write(toFile: "loss.svg", atomically: true, encoding: .utf8)
struct SVGChart {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        var dashed = false
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series] = []
    /// Fixed y range (for example 0…100 for percentages); nil fits the data, starting at 0 when all y ≥ 0.
    var yRange: ClosedRange<Double>? = nil
    /// Whether x takes whole values only (epochs, time steps): ticks then fall on integers.
    var integerX = false

    static let width = 480.0, height = 320.0
    static let margin = (left: 64.0, right: 16.0, top: 36.0, bottom: 48.0)
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    init(title: String, xLabel: String, yLabel: String, yRange: ClosedRange<Double>? = nil, integerX: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.yRange = yRange; self.integerX = integerX
    }

    mutating func add(_ name: String, _ points: [(x: Double, y: Double)], dashed: Bool = false) {
        series.append(Series(name: name, points: points.filter { $0.x.isFinite && $0.y.isFinite }, dashed: dashed))
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
        let (xr, yr) = ranges, m = SVGChart.margin
        let plotW = SVGChart.width - m.left - m.right, plotH = SVGChart.height - m.top - m.bottom
        return (m.left + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * plotW,
                m.top + plotH - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * plotH)
    }

    /// The chart as an SVG group translated to (`dx`, 0).
    func group(dx: Double) -> String {
        let (xr, yr) = ranges, m = SVGChart.margin, w = SVGChart.width, h = SVGChart.height
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
        if !series.isEmpty {
            let longest = Double(series.map(\.name.count).max() ?? 0)
            out += "<rect x=\"\(f(m.left + 4))\" y=\"\(f(m.top + 2))\" width=\"\(f(34 + 6.5 * longest))\" "
                + "height=\"\(f(Double(series.count) * 16 + 4))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
        }
        for (i, s) in series.enumerated() {
            let color = SVGChart.colors[i % SVGChart.colors.count]
            let points = s.points.map { position(x: $0.x, y: $0.y) }
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            if points.count > 1 {
                out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\""
                    + points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ") + "\"/>\n"
            }
            for p in points { out += "<circle cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"2.5\" fill=\"\(color)\"/>" }
            let ly = m.top + 14 + Double(i) * 16
            out += "\n<line x1=\"\(f(m.left + 10))\" y1=\"\(f(ly - 4))\" x2=\"\(f(m.left + 28))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(f(m.left + 32))\" y=\"\(f(ly))\">\(xmlEscaped(s.name))</text>\n"
        }
        return out + "</g>\n"
    }

    /// Charts side by side in one SVG document.
    static func page(_ charts: [SVGChart]) -> String {
        let w = width * Double(max(charts.count, 1))
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(w)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (i, chart) in charts.enumerated() { out += chart.group(dx: Double(i) * width) }
        return out + "</svg>\n"
    }

    /// Writes `charts` to `path` (an SVG file), or throws a one-line failure.
    static func write(_ charts: [SVGChart], to path: String) throws {
        do { try page(charts).write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
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
