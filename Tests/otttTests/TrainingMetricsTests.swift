import Foundation
import Testing
import TestSupport
import Training
@testable import ottt

@Suite("ottt train's metrics file and plot")
struct TrainingMetricsTests {
    let sample = EpochMetrics(epoch: 2, learningRate: 0.05, trainLoss: 1.25, trainAccuracy: 0.5, testLoss: 1.5,
                              testAccuracy: 0.375, samplesPerSecond: 100, seconds: 3)

    @Test("JSON lines files truncate or append and keep every line")
    func jsonLinesFile() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.jsonl").path
        try JSONLinesFile(path: path, append: false).write("a")
        try JSONLinesFile(path: path, append: true).write("b")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\nb\n")
        try JSONLinesFile(path: path, append: false).write("c")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "c\n")
        #expect(throws: CommandFailure.self) { try JSONLinesFile(path: dir.path + "/missing/m.jsonl", append: false) }
    }

    @Test("the plot has a loss and an accuracy chart with train and test curves")
    func charts() {
        let charts = EpochMetrics.charts([sample], title: "run")
        #expect(charts.count == 2)
        #expect(charts.map { $0.series.map(\.name) } == [["train", "test"], ["train", "test"]])
        #expect(charts[1].series[1].points.first?.y == 37.5)
    }
}
