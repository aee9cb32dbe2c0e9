import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Pictures

@Suite("SVG chart writer")
struct SVGChartTests {
    @Test("ticks are round values inside the range", arguments: [
        (0.0...1.0, 0.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.0...100.0, 0.0, [0.0, 20, 40, 60, 80, 100]),
        (1.0...3.0, 1.0, [1.0, 2, 3]),                 // whole epochs only
        (5.0...80.0, 0.0, [20.0, 40, 60, 80]),
    ])
    func ticks(range: ClosedRange<Double>, minimumStep: Double, expected: [Double]) {
        let got = SVGChart.ticks(range, minimumStep: minimumStep)
        #expect(got.count == expected.count && zip(got, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(got)")
    }

    @Test("points map into the plot area: x left to right, y bottom to top, from 0 for non-negative data")
    func positions() {
        var chart = SVGChart(title: "t", xLabel: "x", yLabel: "y")
        chart.add("a", [(1, 2), (3, 4)])
        #expect(chart.ranges.x == 1...3)
        #expect(chart.ranges.y.lowerBound == 0)
        let m = chart.margin
        let low = chart.position(x: 1, y: 0), high = chart.position(x: 3, y: chart.ranges.y.upperBound)
        #expect(abs(low.x - m.left) < 1e-9 && abs(low.y - (SVGChart.height - m.bottom)) < 1e-9)
        #expect(abs(high.x - (SVGChart.width - m.right)) < 1e-9 && abs(high.y - m.top) < 1e-9)
        #expect(chart.position(x: 2, y: 3).y < chart.position(x: 2, y: 2).y)
    }

    @Test("a page is well-formed XML with one polyline per series, text escaped, non-finite points dropped")
    func page() {
        var a = SVGChart(title: "loss <&> \"quoted\"", xLabel: "epoch", yLabel: "loss", integerX: true)
        a.add("train", [(1, 1.5), (2, 0.7), (3, .nan)])
        a.add("test", [(1, 1.6), (2, 0.9)], dashed: true)
        let b = SVGChart(title: "empty", xLabel: "x", yLabel: "y")
        let svg = SVGChart.page([a, b])
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("loss &lt;&amp;&gt; &quot;quoted&quot;"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("stroke-dasharray"))
        #expect(svg.contains("width=\"960\""))
        #expect(!svg.contains("nan"))
        #expect(a.series[0].points.count == 2)
    }
}

@Suite("SVG chart legend")
struct SVGChartLegendTests {
    @Test("the legend sits between the title and the plot, wrapping into rows, never over the data")
    func legendOffTheData() {
        var chart = SVGChart(title: "t", xLabel: "x", yLabel: "y")
        let bare = chart.margin.top
        chart.add("first series", [(0, 1), (1, 2)])
        chart.add("second", [(0, 2), (1, 1)], dashed: true)
        #expect(chart.legendLayout.map(\.row) == [0, 0])
        #expect(chart.margin.top > bare)
        // Each entry's text baseline (and its sample line) lies above the plot's top edge.
        let baselines = chart.legendLayout.map { SVGChart.titleSpace + 2 + Double($0.row) * SVGChart.legendRow }
        #expect(baselines.allSatisfy { $0 + 4 < chart.margin.top })
        // Long names wrap onto more rows, and the plot moves down by the rows added.
        for k in 0..<4 { chart.add(String(repeating: "long name \(k) ", count: 3), [(0, Double(k))]) }
        let rows = (chart.legendLayout.last?.row ?? 0) + 1
        #expect(rows > 1)
        #expect(chart.legendLayout.allSatisfy { $0.x >= chart.margin.left && $0.x < SVGChart.width - chart.margin.right })
        #expect(abs(chart.margin.top - (bare + Double(rows) * SVGChart.legendRow + 6)) < 1e-9)
        // A page places every legend text above the plot rectangle.
        let svg = SVGChart.page([chart])
        #expect(svg.contains("y=\"\(String(format: "%.1f", chart.margin.top))\" width="))
    }

    typealias Box = (x: Double, y: Double, width: Double, height: Double)
    static func intersects(_ a: Box, _ b: Box) -> Bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    @Test("every legend box lies inside its chart and off every plot rectangle of the page", arguments: [
        ["train", "test"],
        ["a very long series name that is wider than the whole chart, as a file path or a long run label can be"],
        (0..<7).map { "series number \($0) with a longish name" },
    ])
    func legendBoxesOffThePlots(names: [String]) {
        var chart = SVGChart(title: "t", xLabel: "x", yLabel: "y")
        for (k, name) in names.enumerated() { chart.add(name, [(0, Double(k)), (1, Double(k + 1))]) }
        let boxes = chart.legendBoxes
        #expect(boxes.count == names.count)
        let plot = chart.plotRectangle
        // Two charts side by side on a page: the second's plot lies one chart width to the right.
        let neighbour: Box = (plot.x + SVGChart.width, plot.y, plot.width, plot.height)
        for box in boxes {
            #expect(!Self.intersects(box, plot), "legend box \(box) covers the plot \(plot)")
            #expect(!Self.intersects(box, neighbour), "legend box \(box) covers the next chart's plot \(neighbour)")
            #expect(box.x >= 0 && box.x + box.width <= SVGChart.width && box.y >= 24, "legend box \(box) leaves the chart")
        }
        // Every drawn point lies in the plot rectangle.
        for s in chart.series {
            for p in s.points.map({ chart.position(x: $0.x, y: $0.y) }) {
                #expect(p.x >= plot.x - 1e-9 && p.x <= plot.x + plot.width + 1e-9 && p.y >= plot.y - 1e-9 && p.y <= plot.y + plot.height + 1e-9)
            }
        }
    }
}
