import Foundation
import Training

/// OTTT against BPTT on the same task (the paper's claim: OTTT reaches BPTT's accuracy with memory constant in
/// T): the same configuration (network, seed, epochs, optimizer) trained once per rule, with its held-out accuracy,
/// training time and peak memory; repeated over seeds, the mean and spread of each rule.
public enum RuleComparison {
    /// One rule's run on one task with one seed.
    public struct Row: Sendable, Codable {
        public var task: String
        public var rule: LearningRuleKind
        public var seed: UInt64
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
            case task, rule, seed, seconds, accuracies
            case finalAccuracy = "final_accuracy", bestAccuracy = "best_accuracy"
            case peakExtraBytes = "peak_extra_bytes", peakBytes = "peak_bytes"
        }
    }

    /// Trains `config` once per seed (`config.seed` when `seeds` is empty) and rule on `train`, evaluating on
    /// `test` after every epoch; `progress` hears each epoch's metrics. With `checkpoints`, each run writes its
    /// `last.safetensors` and `best.safetensors` (with `metadata`) into `checkpoints/<task>-<rule>-seed<S>`.
    public static func run(task: String, config: TrainingConfig, rules: [LearningRuleKind], seeds: [UInt64] = [],
                           train: any SampleSet, test: any SampleSet, checkpoints: String? = nil,
                           metadata: [String: String] = [:],
                           progress: (LearningRuleKind, UInt64, EpochMetrics) -> Void = { _, _, _ in }) throws -> [Row] {
        var rows: [Row] = []
        for seed in seeds.isEmpty ? [config.seed] : seeds {
            for rule in rules {
                var c = config
                c.rule = rule
                c.seed = seed
                let trainer = try Trainer(config: c, train: train, test: test)
                if let checkpoints {
                    trainer.checkpointDirectory = "\(checkpoints)/\(task)-\(rule.rawValue)-seed\(seed)"
                    trainer.checkpointMetadata = metadata
                }
                let peakWasReset = ResidentMemory.resetPeak()
                let before = ResidentMemory.current()?.resident ?? 0
                let start = Clocks.wall()
                while !trainer.isFinished { progress(rule, seed, try trainer.runEpoch()) }
                let seconds = Clocks.wall() - start
                let peak = ResidentMemory.current()?.peak ?? 0
                let accuracies = trainer.history.map { $0.testAccuracy ?? 0 }
                rows.append(Row(task: task, rule: rule, seed: seed, finalAccuracy: accuracies.last ?? 0,
                                bestAccuracy: accuracies.max() ?? 0, accuracies: accuracies, seconds: seconds,
                                peakExtraBytes: peakWasReset ? max(0, peak - before) : 0, peakBytes: peak))
            }
        }
        return rows
    }

    /// One rule on one task over its seeds: the mean and the sample standard deviation (0 for one seed) of the
    /// final test accuracy, the mean best accuracy, time and peak memory above the start, and the mean test
    /// accuracy per epoch.
    public struct Summary: Sendable, Codable, Equatable {
        public var task: String
        public var rule: LearningRuleKind
        public var seeds: Int
        public var meanAccuracy: Double
        public var accuracySpread: Double
        public var meanBestAccuracy: Double
        public var meanSeconds: Double
        public var meanPeakExtraBytes: Double
        public var meanAccuracies: [Double]

        enum CodingKeys: String, CodingKey {
            case task, rule, seeds
            case meanAccuracy = "mean_accuracy", accuracySpread = "accuracy_std", meanBestAccuracy = "mean_best_accuracy"
            case meanSeconds = "mean_seconds", meanPeakExtraBytes = "mean_peak_extra_bytes", meanAccuracies = "mean_accuracies"
        }
    }

    /// The rows grouped by task and rule, in the order they first appear.
    public static func summarize(_ rows: [Row]) -> [Summary] {
        var keys: [(task: String, rule: LearningRuleKind)] = []
        for r in rows where !keys.contains(where: { $0.task == r.task && $0.rule == r.rule }) { keys.append((r.task, r.rule)) }
        return keys.map { key in
            let group = rows.filter { $0.task == key.task && $0.rule == key.rule }
            let n = Double(group.count)
            func mean(_ f: (Row) -> Double) -> Double { group.map(f).reduce(0, +) / n }
            let m = mean(\.finalAccuracy)
            let variance = group.count > 1 ? group.map { ($0.finalAccuracy - m) * ($0.finalAccuracy - m) }.reduce(0, +) / (n - 1) : 0
            let epochs = group.map(\.accuracies.count).min() ?? 0
            return Summary(task: key.task, rule: key.rule, seeds: group.count, meanAccuracy: m,
                           accuracySpread: variance.squareRoot(), meanBestAccuracy: mean(\.bestAccuracy),
                           meanSeconds: mean(\.seconds), meanPeakExtraBytes: mean { Double($0.peakExtraBytes) },
                           meanAccuracies: (0..<epochs).map { e in mean { $0.accuracies[e] } })
        }
    }
}
