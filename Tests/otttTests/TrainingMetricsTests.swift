import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("training metrics")
struct TrainingMetricsTests {
    let sample = EpochMetrics(epoch: 2, learningRate: 0.05, trainLoss: 1.25, trainAccuracy: 0.5, testLoss: 1.5,
                              testAccuracy: 0.375, samplesPerSecond: 100, seconds: 3)

    @Test("one JSON line per epoch with stable key names")
    func jsonLine() throws {
        let line = sample.jsonLine
        #expect(!line.contains("\n"))
        #expect(line == #"{"epoch":2,"lr":0.05,"samples_per_s":100,"seconds":3,"test_acc":0.375,"test_loss":1.5,"train_acc":0.5,"train_loss":1.25}"#)
        var noTest = sample
        noTest.testLoss = nil; noTest.testAccuracy = nil
        #expect(!noTest.jsonLine.contains("test"))
    }

    @Test("a history survives checkpoint metadata; garbage is reported as nil, absence as empty")
    func history() {
        var second = sample
        second.epoch = 3
        #expect(EpochMetrics.decode(EpochMetrics.encode([sample, second])) == [sample, second])
        #expect(EpochMetrics.decode(nil) == [])
        #expect(EpochMetrics.decode("{not json") == nil)
    }

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
