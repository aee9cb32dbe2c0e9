import Foundation
import Pictures
import SNN
import Tensors
import Training

/// How a network is trained: kept in a checkpoint's metadata (`training`, JSON) so that `--resume` continues
/// exactly and `ottt eval` knows the inputs.
struct TrainingConfig: Codable, Equatable {
    /// The preset the run started from, or nil for `--net`.
    var preset: String?
    /// The network in words (`2x48x48:c64-…-fc10`).
    var network: String
    var dropout: Float
    var rule: String
    var steps: Int
    var batch: Int
    var epochs: Int
    var optimizer: String
    var learningRate: Float
    var momentum: Float
    var weightDecay: Float
    var seed: UInt64
    var data: DataConfig

    /// What plots are titled with: the preset, or the network's words.
    var title: String { preset ?? network }

    var spec: NetworkSpec { get throws { try NetworkSpec(parsing: network, dropout: dropout) } }

    func makeOptimizer() -> any Optimizer {
        optimizer == "adam" ? Adam(learningRate: learningRate, weightDecay: weightDecay)
            : SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// The configuration stored in a checkpoint's metadata.
    static func stored(in checkpoint: Checkpoint, path: String) throws -> TrainingConfig {
        guard let text = checkpoint.metadata["training"] else {
            throw CommandFailure("\(path) has no training configuration (metadata 'training'); it was not written by 'ottt train'")
        }
        do { return try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) } catch {
            throw CommandFailure("\(path): unreadable training configuration: \(error)")
        }
    }
}

/// One training run: epochs of shuffled batches through a learning rule, evaluation on the test part after each
/// epoch, metrics, plots and checkpoints. `ottt train` wires it; tests drive it directly.
final class TrainingRun {
    let config: TrainingConfig
    let network: Network
    let optimizer: any Optimizer
    var rule: any LearningRule
    let train: any SampleSet
    let test: (any SampleSet)?
    /// Completed epochs so far (from a checkpoint when resuming) and their metrics.
    private(set) var history: [EpochMetrics]

    var outputDirectory: String? = nil
    var metricsFile: JSONLinesFile? = nil
    var plotPath: String? = nil
    var showProgress = isatty(STDERR_FILENO) != 0
    /// Called with each epoch's metrics (the command prints a summary line).
    var onEpoch: (EpochMetrics) -> Void = { _ in }

    init(config: TrainingConfig, network: Network, optimizer: any Optimizer, train: any SampleSet,
         test: (any SampleSet)?, history: [EpochMetrics] = []) {
        self.config = config
        self.network = network
        self.optimizer = optimizer
        self.rule = LearningRuleKind(rawValue: config.rule)!.make()
        self.train = train
        self.test = test
        self.history = history
    }

    /// Trains from the epoch after the last in `history` through `config.epochs`.
    func run() throws {
        let schedule = CosineSchedule(baseLearningRate: config.learningRate, epochs: config.epochs)
        for epoch in history.count..<config.epochs {
            optimizer.learningRate = schedule.learningRate(epoch: epoch)
            let metrics = try runEpoch(epoch)
            history.append(metrics)
            try metricsFile?.write(metrics.jsonLine)
            if let plotPath {
                try SVGChart.write(EpochMetrics.charts(history, title: config.title), to: plotPath)
            }
            try saveCheckpoints(metrics)
            onEpoch(metrics)
        }
    }

    /// One epoch (0-based `epoch`): every training sample once, in an order drawn from the seed and the epoch.
    func runEpoch(_ epoch: Int) throws -> EpochMetrics {
        let start = DispatchTime.now().uptimeNanoseconds
        var order = Array(0..<train.count)
        var shuffler = SeededGenerator(seed: config.seed &+ UInt64(epoch) &* 0x2545_F491_4F6C_DD1D)
        order.shuffle(using: &shuffler)
        var augment: SeededGenerator? = SeededGenerator(seed: shuffler.next())
        let assembler = BatchAssembler()
        let progress = ProgressLine("epoch \(epoch + 1)/\(config.epochs)", enabled: showProgress)
        var seen = 0, correct = 0, lossSum = 0.0
        for batchStart in stride(from: 0, to: order.count, by: config.batch) {
            let indices = order[batchStart..<min(batchStart + config.batch, order.count)]
            let (frames, labels) = assembler.batch(train, indices: indices, augment: &augment)
            let r = rule.train(network, frames: frames, labels: labels, optimizer: optimizer)
            guard r.loss.isFinite else {
                throw CommandFailure("training diverged in epoch \(epoch + 1) after \(seen) samples (loss \(r.loss)); "
                                     + "try a lower --lr (now \(optimizer.learningRate))")
            }
            seen += labels.count
            correct += r.correct
            lossSum += Double(r.loss) * Double(labels.count)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress.update(fraction: Double(seen) / Double(order.count), detail: String(
                format: "%d/%d  %.1f samples/s  loss %.4f  acc %.1f%%", seen, order.count, Double(seen) / seconds,
                lossSum / Double(seen), 100 * Double(correct) / Double(seen)))
        }
        progress.finish()
        let trainSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var metrics = EpochMetrics(epoch: epoch + 1, learningRate: Double("\(optimizer.learningRate)")!,
                                   trainLoss: lossSum / Double(max(seen, 1)),
                                   trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                   testLoss: nil, testAccuracy: nil,
                                   samplesPerSecond: Double(seen) / trainSeconds, seconds: 0)
        if let test {
            let evaluation = ProgressLine("test \(epoch + 1)/\(config.epochs)", enabled: showProgress)
            let m = ConfusionMatrix.evaluate(network, on: test, batch: config.batch) { done in
                evaluation.update(fraction: Double(done) / Double(test.count), detail: "\(done)/\(test.count)")
            }
            evaluation.finish()
            metrics.testLoss = m.meanLoss
            metrics.testAccuracy = m.accuracy
        }
        metrics.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return metrics
    }

    /// `last.safetensors` after every epoch and `best.safetensors` when the test accuracy is the best so far.
    private func saveCheckpoints(_ metrics: EpochMetrics) throws {
        guard let dir = outputDirectory else { return }
        try save(to: "\(dir)/last.safetensors")
        if let acc = metrics.testAccuracy, history.dropLast().allSatisfy({ ($0.testAccuracy ?? 0) < acc }) {
            try save(to: "\(dir)/best.safetensors")
        }
    }

    /// Writes the network, the optimizer state, the configuration and the history.
    func save(to path: String) throws {
        var metadata = ["training": config.json, "epoch": "\(history.count)", "history": EpochMetrics.encode(history),
                        "rule": config.rule, "steps": "\(config.steps)"]
        if let preset = config.preset { metadata["preset"] = preset }
        do { try Checkpoint.save(to: path, network: network, optimizer: optimizer, metadata: metadata) } catch {
            throw CommandFailure("cannot write the checkpoint \(path): \(error)")
        }
    }
}
