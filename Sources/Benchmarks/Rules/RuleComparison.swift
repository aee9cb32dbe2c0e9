import Foundation
import Training

/// OTTT against BPTT on the same task (the paper's claim: OTTT reaches BPTT's accuracy with memory constant in
/// T): the same configuration (network, seed, epochs, optimizer) trained once per rule, with its held-out accuracy,
/// training time and peak memory.
public enum RuleComparison {
    /// One rule's run on one task.
    public struct Row: Sendable, Codable {
        public var task: String
        public var rule: LearningRuleKind
        /// Test accuracy after the last epoch, and the best of any epoch (`max_test_acc`).
        public var finalAccuracy: Double
        public var bestAccuracy: Double
        /// Test accuracy after each epoch.
        public var accuracies: [Double]
        /// Training and evaluation time of all epochs.
        public var seconds: Double
        /// Peak resident memory during the run above the resident memory before it (0 where Linux cannot reset
        /// the peak), and the process's peak.
        public var peakExtraBytes: Int
        public var peakBytes: Int

        enum CodingKeys: String, CodingKey {
            case task, rule, seconds, accuracies
            case finalAccuracy = "final_accuracy", bestAccuracy = "best_accuracy"
            case peakExtraBytes = "peak_extra_bytes", peakBytes = "peak_bytes"
        }
    }

    /// Trains `config` once per rule on `train`, evaluating on `test` after every epoch; `progress` hears each
    /// epoch's metrics.
    public static func run(task: String, config: TrainingConfig, rules: [LearningRuleKind], train: any SampleSet,
                           test: any SampleSet, progress: (LearningRuleKind, EpochMetrics) -> Void = { _, _ in })
        throws -> [Row] {
        var rows: [Row] = []
        for rule in rules {
            var c = config
            c.rule = rule
            let trainer = try Trainer(config: c, train: train, test: test)
            let peakWasReset = ResidentMemory.resetPeak()
            let before = ResidentMemory.current()?.resident ?? 0
            let start = Clocks.wall()
            while !trainer.isFinished { progress(rule, try trainer.runEpoch()) }
            let seconds = Clocks.wall() - start
            let peak = ResidentMemory.current()?.peak ?? 0
            let accuracies = trainer.history.map { $0.testAccuracy ?? 0 }
            rows.append(Row(task: task, rule: rule, finalAccuracy: accuracies.last ?? 0, bestAccuracy: accuracies.max() ?? 0,
                            accuracies: accuracies, seconds: seconds,
                            peakExtraBytes: peakWasReset ? max(0, peak - before) : 0, peakBytes: peak))
        }
        return rows
    }
}
