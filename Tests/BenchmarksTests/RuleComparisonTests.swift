import Foundation
import Testing
@testable import Benchmarks
import Training

@Suite("OTTT against BPTT on the same task")
struct RuleComparisonTests {
    @Test("one row per rule, each trained from the same start for the configured epochs")
    func rows() throws {
        let config = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 3, batch: 8, epochs: 2, learningRate: 0.1)
        let train = SyntheticSamples(count: 32, classes: 4, steps: 3, frameShape: [2, 8, 8], seed: 1)
        let test = SyntheticSamples(count: 16, classes: 4, steps: 3, frameShape: [2, 8, 8], first: 32, seed: 1)
        var seen: [LearningRuleKind] = []
        let rows = try RuleComparison.run(task: "toy", config: config, rules: [.otttA, .bptt], train: train, test: test) { rule, _, _ in
            seen.append(rule)
        }
        #expect(rows.map(\.rule) == [.otttA, .bptt] && seen == [.otttA, .otttA, .bptt, .bptt])
        for r in rows {
            #expect(r.accuracies.count == 2 && r.bestAccuracy == r.accuracies.max() && r.finalAccuracy == r.accuracies.last)
            #expect(r.seconds > 0 && r.peakBytes > 0)
        }
        // The same rule twice gives the same figures (same seed, same order).
        let again = try RuleComparison.run(task: "toy", config: config, rules: [.otttA], train: train, test: test)
        #expect(again[0].accuracies == rows[0].accuracies)
    }

    @Test("--seeds: one row per seed and rule, each seed's run its own; the same seed gives the same run")
    func seeds() throws {
        let config = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 3, batch: 8, epochs: 1, learningRate: 0.1)
        let train = SyntheticSamples(count: 32, classes: 4, steps: 3, frameShape: [2, 8, 8], seed: 1)
        let test = SyntheticSamples(count: 16, classes: 4, steps: 3, frameShape: [2, 8, 8], first: 32, seed: 1)
        let rows = try RuleComparison.run(task: "toy", config: config, rules: [.otttA], seeds: [3, 4, 3], train: train, test: test)
        #expect(rows.map(\.seed) == [3, 4, 3])
        #expect(rows[0].accuracies == rows[2].accuracies)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let single = try RuleComparison.run(task: "toy", config: config, rules: [.otttA], train: train, test: test,
                                            checkpoints: dir, metadata: ["note": "kept"])
        #expect(single.map(\.seed) == [config.seed])
        let kept = try Checkpoint.load(from: "\(dir)/toy-ottt-a-seed\(config.seed)/last.safetensors")
        #expect(kept.metadata["note"] == "kept" && kept.metadata["rule"] == "ottt-a")
    }

    @Test("the summary over seeds: mean, sample standard deviation, mean curve; grouped by task and rule in order")
    func summary() {
        func row(_ task: String, _ rule: LearningRuleKind, _ seed: UInt64, _ acc: [Double], seconds: Double) -> RuleComparison.Row {
            RuleComparison.Row(task: task, rule: rule, seed: seed, finalAccuracy: acc.last ?? 0, bestAccuracy: acc.max() ?? 0,
                               accuracies: acc, seconds: seconds, peakExtraBytes: Int(seed) * 1024, peakBytes: 0)
        }
        let rows = [row("a", .bptt, 1, [0.5, 0.9], seconds: 2), row("a", .otttA, 1, [0.4, 0.8], seconds: 1),
                    row("a", .bptt, 2, [0.7, 0.7], seconds: 4), row("b", .bptt, 1, [0.3, 0.6], seconds: 8)]
        let s = RuleComparison.summarize(rows)
        #expect(s.map(\.task) == ["a", "a", "b"] && s.map(\.rule) == [.bptt, .otttA, .bptt])
        #expect(s.map(\.seeds) == [2, 1, 1])
        #expect(abs(s[0].meanAccuracy - 0.8) < 1e-12 && abs(s[0].accuracySpread - (0.02).squareRoot()) < 1e-12)
        #expect(abs(s[0].meanBestAccuracy - 0.8) < 1e-12 && s[0].meanSeconds == 3 && s[0].meanPeakExtraBytes == 1536)
        #expect(zip(s[0].meanAccuracies, [0.6, 0.8]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(s[1].accuracySpread == 0 && s[1].meanAccuracy == 0.8)
    }
}
