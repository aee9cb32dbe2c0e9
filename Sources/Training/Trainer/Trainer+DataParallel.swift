import DataParallel
import Foundation
import MessagePassing
import SNN
import Tensors

/// A trainer's ranks: the communicator, whether the replicas have been made identical, and the optimizer that
/// sums gradients over ranks (nil on one rank).
struct TrainerRanks {
    var communicator: Communicator = .single
    var prepared = false
    var reducing: ReducingOptimizer? = nil
    /// Seconds in the per-batch sums of losses and counts.
    var metricSeconds = 0.0
}

/// Global sums of one batch over ranks: Σ loss, correct predictions and samples.
struct BatchTotals {
    var lossSum = 0.0, correct = 0, count = 0
}

/// Data-parallel training. On N ranks every rank holds a replica of the network (rank 0's weights broadcast at
/// the first epoch, after checking that every rank has the same configuration and optimizer state), reads its
/// slice of each global batch (`BatchShard` over the order every rank draws alike), runs forward and backward
/// over T locally and sums the gradients with the other ranks (`ReducingOptimizer`, one allreduce per optimizer
/// step, started layer by layer during the last backward) before the same update everywhere. Losses, counts and
/// the test set's confusion matrix are summed over ranks; the checksums of the weights and of the optimizer state
/// are compared after every epoch. Only rank 0 writes checkpoints, which hold nothing that depends on the number
/// of ranks.
///
/// Resuming on N ranks: every rank reads the same checkpoint file itself (weights, optimizer state, configuration,
/// history; nothing of the optimizer is broadcast). Before the first step the configuration and the number of
/// completed epochs are compared, rank 0's weights are broadcast, and the checksum of the optimizer state
/// (`optimizerChecksum`) is compared across ranks: a rank that read another file, or a damaged one, stops every
/// rank with `DataParallelError.optimizerStateDiffers`.
extension Trainer {
    /// The ranks this trainer trains on (default `.single`). Set it before the first epoch, on every rank.
    public var communicator: Communicator {
        get { ranks.communicator }
        set {
            precondition(!ranks.prepared, "the communicator is set before the first epoch")
            ranks = TrainerRanks(communicator: newValue)
        }
    }

    /// Once, before the first epoch on N > 1 ranks: checks that every rank has the same configuration and
    /// optimizer state, gives every rank rank 0's weights and installs the reducing optimizer.
    func prepareRanks() throws(TrainingError) {
        guard !ranks.prepared else { return }
        ranks.prepared = true
        let c = ranks.communicator
        guard c.size > 1 else { return }
        do throws(DataParallelError) {
            try c.verifySameSettings(config.json, what: "training configuration")
            try c.verifySameSettings("\(history.count)", what: "number of completed epochs")
            try c.broadcastParameters(of: network)
            try c.verifyIdenticalOptimizerState(optimizer.state)
        } catch { throw .distributed(error) }
        let reducing = ReducingOptimizer(inner: optimizer, reducer: GradientReducer(parameters: network.parameters,
                                                                                    communicator: c))
        reducing.attach(to: network)
        ranks.reducing = reducing
    }

    /// The shard of an epoch's `order` this rank reads.
    func shard(of order: [Int]) -> BatchShard {
        BatchShard(order: order, globalBatch: config.batch, rank: ranks.communicator.rank, size: ranks.communicator.size)
    }

    /// Trains this rank's slice of global batch `k` (augmentation and dropout keyed by the samples' positions)
    /// and returns the batch's totals over all ranks.
    func trainBatch(_ k: Int, of shard: BatchShard, keys: SampleKeys, assembler: BatchAssembler,
                    frameChoice: inout SeededGenerator) throws(TrainingError) -> BatchTotals {
        let range = shard.localRange(batch: k)
        let steps = Trainer.trainingFrameIndices(count: config.steps, keep: config.trainSteps, using: &frameChoice)
        var step: any Optimizer = optimizer
        if let reducing = ranks.reducing {
            reducing.localBatch = range.count
            reducing.globalBatch = shard.globalCount(batch: k)
            step = reducing
        }
        var local = BatchTotals()
        if range.isEmpty {
            // A last batch smaller than the number of ranks: this rank adds zeros to every reduction.
            let updates = config.rule == .otttO ? steps.count : 1
            for _ in 0..<updates { step.step(network) }
        } else {
            let positions = Array(range)
            let (frames, labels) = assembler.batch(train, indices: shard.order[range],
                                                   augmentKeys: positions.map(keys.augmentation))
            network.dropoutKeys = positions.map(keys.dropout)
            let r = rule.train(network, frames: steps.map { frames[$0] }, labels: labels, optimizer: step)
            local = BatchTotals(lossSum: Double(r.loss) * Double(labels.count), correct: r.correct, count: labels.count)
        }
        if let failure = ranks.reducing?.failure { throw .distributed(failure) }
        guard ranks.communicator.size > 1 else { return local }
        let start = DispatchTime.now().uptimeNanoseconds
        let sums = try distributed { () throws(MPIError) in
            try ranks.communicator.sum([local.lossSum, Double(local.correct), Double(local.count)])
        }
        ranks.metricSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return BatchTotals(lossSum: sums[0], correct: Int(sums[1]), count: Int(sums[2]))
    }

    /// The confusion matrix of `test` over all ranks, each evaluating a contiguous slice.
    func evaluateOnRanks(_ test: any SampleSet, progress: (Int) -> Void) throws(TrainingError) -> ConfusionMatrix {
        let c = ranks.communicator
        let slice = BatchShard.slice(of: test.count, rank: c.rank, size: c.size)
        var m = ConfusionMatrix.evaluate(network, on: test, range: slice, batch: config.batch, progress: progress)
        guard c.size > 1 else { return m }
        let counts = try distributed { () throws(MPIError) in try c.sum(m.counts.flatMap { $0.map(Int64.init) }) }
        let loss = try distributed { () throws(MPIError) in try c.sum([m.lossSum]) }
        let k = m.classes.count
        m.counts = (0..<k).map { row in (0..<k).map { Int(counts[row * k + $0]) } }
        m.lossSum = loss[0]
        return m
    }

    /// After an epoch on N ranks: throws on every rank unless all hold the same weights and optimizer state.
    func verifyRanks() throws(TrainingError) {
        guard ranks.communicator.size > 1 else { return }
        do throws(DataParallelError) {
            try ranks.communicator.verifyIdenticalWeights(network.parameters)
            try ranks.communicator.verifyIdenticalOptimizerState(optimizer.state)
        } catch {
            throw .distributed(error)
        }
    }

    /// The checksum of the optimizer's state (momenta, Adam's moments and step count): equal on every rank of a
    /// run, which the trainer checks before the first step and after every epoch.
    public var optimizerChecksum: WeightChecksum { WeightChecksum(tensors: optimizer.state) }

    /// Seconds this rank has spent summing over ranks while training (gradients, losses and counts; waiting for
    /// slower ranks included), for the scaling benchmark. 0 on one rank.
    public var communicationSeconds: Double { (ranks.reducing?.seconds ?? 0) + ranks.metricSeconds }

    /// Whether this process writes checkpoints (rank 0).
    var writesCheckpoints: Bool { ranks.communicator.isRoot }

    private func distributed<R>(_ body: () throws(MPIError) -> R) throws(TrainingError) -> R {
        do throws(MPIError) { return try body() } catch { throw .distributed(.mpi(error)) }
    }
}
