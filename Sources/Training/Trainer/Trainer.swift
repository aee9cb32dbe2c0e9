import Foundation
import SNN
import Tensors

/// Trains a network on a `SampleSet`: epochs of shuffled batches through a learning rule, the cosine schedule,
/// evaluation on a test set after each epoch, and checkpoints (`last.safetensors` after every epoch,
/// `best.safetensors` at the best test accuracy, each written atomically) from which a run resumes exactly.
///
///     let config = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 4, batch: 8, epochs: 3)
///     let train = SyntheticSamples(count: 128, classes: 4, steps: 4, frameShape: [2, 8, 8], seed: 1)
///     let trainer = try Trainer(config: config, train: train)
///     for metrics in try trainer.run() { print(metrics.trainAccuracy) }
///
/// Nothing is printed: progress goes to `onProgress`, and each epoch's metrics are returned.
public final class Trainer {
    public let config: TrainingConfig
    public let network: Network
    public let optimizer: any Optimizer
    public let train: any SampleSet
    public let test: (any SampleSet)?
    /// Completed epochs so far (from the checkpoint when resuming) and their metrics.
    public private(set) var history: [EpochMetrics]
    /// Where `last.safetensors` and `best.safetensors` are written; nil writes none.
    public var checkpointDirectory: String?
    /// More metadata for every checkpoint (for example where the samples came from).
    public var checkpointMetadata: [String: String] = [:]
    /// Told how far an epoch's training and evaluation are, after every batch.
    public var onProgress: ((TrainingProgress) -> Void)?
    var rule: any LearningRule
    /// The ranks of a data-parallel run (`communicator`, Trainer+DataParallel.swift).
    var ranks = TrainerRanks()

    /// A run from scratch: the network from `config` (initialised from its seed) and a fresh optimizer.
    public convenience init(config: TrainingConfig, train: any SampleSet, test: (any SampleSet)? = nil) throws(TrainingError) {
        try self.init(config: config, network: Network(spec: config.spec(), seed: config.seed),
                      optimizer: config.optimizerSettings.make(), train: train, test: test)
    }

    /// A run on a given network and optimizer, after the epochs of `history`.
    public init(config: TrainingConfig, network: Network, optimizer: any Optimizer, train: any SampleSet,
                test: (any SampleSet)?, history: [EpochMetrics] = []) throws(TrainingError) {
        try config.validate()
        for (part, set) in [("training", train), ("test", test)] {
            guard let set else { continue }
            guard set.frameShape == network.spec.input, set.steps == config.steps, set.classes.count == network.spec.classes else {
                throw .invalidConfiguration("the \(part) samples are \(set.steps) steps of \(set.frameShape) in "
                    + "\(set.classes.count) classes; the network takes \(config.steps) steps of \(network.spec.input) "
                    + "in \(network.spec.classes) classes")
            }
        }
        guard train.count > 0 else { throw .invalidConfiguration("no training samples") }
        self.config = config
        self.network = network
        self.optimizer = optimizer
        self.train = train
        self.test = test.flatMap { $0.count > 0 ? $0 : nil }
        self.history = history
        rule = config.rule.make(gamma: config.lossGamma)
    }

    /// Continues the run saved in `checkpoint` (network, optimizer of the saved kind with its state, configuration
    /// and history), for `epochs` in all when given (a longer schedule).
    public convenience init(resuming checkpoint: Checkpoint, epochs: Int? = nil, train: any SampleSet,
                            test: (any SampleSet)?) throws(TrainingError) {
        var config = try TrainingConfig.stored(in: checkpoint)
        if let epochs { config.epochs = epochs }
        let optimizer: any Optimizer
        do { optimizer = try checkpoint.restoreOptimizer(fallback: config.optimizerSettings) } catch { throw .checkpoint(error) }
        guard let history = EpochMetrics.decode(checkpoint.metadata["history"]) else {
            throw .unreadableMetadata(file: checkpoint.path, key: "history", problem: "not a JSON array of epoch metrics")
        }
        guard history.count < config.epochs else { throw .finished(file: checkpoint.path, epochs: history.count) }
        try self.init(config: config, network: checkpoint.network, optimizer: optimizer, train: train, test: test,
                      history: history)
    }

    /// Whether every epoch of the configuration is done.
    public var isFinished: Bool { history.count >= config.epochs }

    /// Trains the remaining epochs and returns their metrics.
    @discardableResult
    public func run() throws(TrainingError) -> [EpochMetrics] {
        var done: [EpochMetrics] = []
        while !isFinished { done.append(try runEpoch()) }
        return done
    }

    /// The next epoch: every training sample once, in an order drawn from the seed and the epoch, at the
    /// schedule's learning rate; then the test set, the history and the checkpoints.
    @discardableResult
    public func runEpoch() throws(TrainingError) -> EpochMetrics {
        let epoch = history.count
        guard epoch < config.epochs else { throw .invalidConfiguration("all \(config.epochs) epochs are done") }
        try prepareRanks()
        optimizer.learningRate = config.schedule.learningRate(epoch: epoch)
        let start = DispatchTime.now().uptimeNanoseconds
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var order = Array(0..<train.count)
        var shuffler = SeededGenerator(seed: config.seed &+ UInt64(epoch) &* 0x2545_F491_4F6C_DD1D)
        order.shuffle(using: &shuffler)
        let keys = SampleKeys(seed: shuffler.next())
        let assembler = BatchAssembler()
        let shard = shard(of: order)
        var seen = 0, correct = 0, lossSum = 0.0
        for k in 0..<shard.batchCount {
            let r = try trainBatch(k, of: shard, keys: keys, assembler: assembler, frameChoice: &shuffler)
            guard r.lossSum.isFinite else {
                throw .diverged(epoch: epoch + 1, samples: seen, loss: Float(r.lossSum / Double(max(r.count, 1))),
                                learningRate: optimizer.learningRate)
            }
            seen += r.count
            correct += r.correct
            lossSum += r.lossSum
            onProgress?(TrainingProgress(phase: .training, epoch: epoch + 1, epochs: config.epochs, done: seen,
                                         total: order.count, seconds: seconds(), loss: lossSum / Double(seen),
                                         accuracy: Double(correct) / Double(seen)))
        }
        let trainSeconds = seconds()
        var metrics = EpochMetrics(epoch: epoch + 1, learningRate: Double("\(optimizer.learningRate)") ?? 0,
                                   trainLoss: lossSum / Double(max(seen, 1)),
                                   trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                   samplesPerSecond: Double(seen) / trainSeconds, seconds: 0)
        if let test {
            let testStart = seconds()
            let m = try evaluateOnRanks(test) { done in
                onProgress?(TrainingProgress(phase: .testing, epoch: epoch + 1, epochs: config.epochs, done: done,
                                             total: test.count, seconds: seconds() - testStart))
            }
            metrics.testLoss = m.meanLoss
            metrics.testAccuracy = m.accuracy
        }
        metrics.seconds = seconds()
        try verifyRanks()
        history.append(metrics)
        if writesCheckpoints { try saveCheckpoints(metrics) }
        return metrics
    }

    /// The official `-T_train`: `keep` of the batch's frames, drawn without replacement and kept in time order
    /// (all of them when `keep` is nil or not smaller).
    static func trainingFrames(_ frames: [Tensor], keep: Int?, using generator: inout SeededGenerator) -> [Tensor] {
        trainingFrameIndices(count: frames.count, keep: keep, using: &generator).map { frames[$0] }
    }

    /// The time steps a batch trains on: all `count`, or `keep` of them drawn at random and kept in order
    /// (`--T-train`); every rank draws the same ones, so the generator advances alike on all.
    static func trainingFrameIndices(count: Int, keep: Int?, using generator: inout SeededGenerator) -> [Int] {
        guard let keep, keep < count else { return Array(0..<count) }
        var indices = Array(0..<count)
        indices.shuffle(using: &generator)
        return indices.prefix(keep).sorted()
    }

    /// `last.safetensors` after every epoch and `best.safetensors` when the test accuracy is the best so far.
    private func saveCheckpoints(_ metrics: EpochMetrics) throws(TrainingError) {
        guard let dir = checkpointDirectory else { return }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw .cannotCreate(path: dir, reason: error.localizedDescription)
        }
        try save(to: "\(dir)/last.safetensors")
        if let acc = metrics.testAccuracy, history.dropLast().allSatisfy({ ($0.testAccuracy ?? 0) < acc }) {
            try save(to: "\(dir)/best.safetensors")
        }
    }

    /// Writes the network, the optimizer (kind, hyper-parameters and state), the configuration and the history.
    public func save(to path: String) throws(TrainingError) {
        var metadata = checkpointMetadata
        metadata["training"] = config.json
        metadata["epoch"] = "\(history.count)"
        metadata["history"] = EpochMetrics.encode(history)
        metadata["rule"] = config.rule.rawValue
        metadata["steps"] = "\(config.steps)"
        if let preset = config.preset { metadata["preset"] = preset }
        do { try Checkpoint.save(to: path, network: network, optimizer: optimizer, metadata: metadata) } catch {
            throw .cannotWrite(path: path, error)
        }
    }
}

/// How far the current epoch is: its training pass (with the running loss and accuracy) or its test pass.
public struct TrainingProgress: Sendable {
    public enum Phase: Sendable { case training, testing }
    public var phase: Phase
    /// 1-based, of `epochs`.
    public var epoch: Int
    public var epochs: Int
    /// Samples done of `total` in this phase.
    public var done: Int
    public var total: Int
    /// Since the phase began.
    public var seconds: Double
    /// Mean loss per sample and accuracy so far (training only).
    public var loss: Double? = nil
    public var accuracy: Double? = nil
}
