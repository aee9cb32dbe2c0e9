import Testing
import Benchmarks
import Training

@Suite("OTTT against BPTT on the same task")
struct RuleComparisonTests {
    @Test("one row per rule, each trained from the same start for the configured epochs")
    func rows() throws {
        let config = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 3, batch: 8, epochs: 2, learningRate: 0.1)
        let train = SyntheticSamples(count: 32, classes: 4, steps: 3, frameShape: [2, 8, 8], seed: 1)
        let test = SyntheticSamples(count: 16, classes: 4, steps: 3, frameShape: [2, 8, 8], first: 32, seed: 1)
        var seen: [LearningRuleKind] = []
        let rows = try RuleComparison.run(task: "toy", config: config, rules: [.otttA, .bptt], train: train, test: test) { rule, _ in
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
}
