import Foundation
import Testing
import Training

@Suite("epoch metrics")
struct EpochMetricsTests {
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

    @Test("a non-finite loss is written as a string and read back")
    func nonFinite() {
        var m = sample
        m.testLoss = .infinity
        #expect(m.jsonLine.contains(#""test_loss":"inf""#))
        #expect(EpochMetrics.decode(EpochMetrics.encode([m])) == [m])
    }

    @Test("a history survives checkpoint metadata; garbage is reported as nil, absence as empty")
    func history() {
        var second = sample
        second.epoch = 3
        #expect(EpochMetrics.decode(EpochMetrics.encode([sample, second])) == [sample, second])
        #expect(EpochMetrics.decode(nil) == [])
        #expect(EpochMetrics.decode("{not json") == nil)
    }
}
