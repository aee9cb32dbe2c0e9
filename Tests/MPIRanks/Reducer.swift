import DataParallel
import MessagePassing
import SNN
import Tensors
import Training
#if canImport(Glibc)
import Glibc
#endif

/// A small network and a synthetic global batch, the same on every rank.
enum Workload {
    static let spec = NetworkSpec(input: [2, 12, 12], layers: [
        .conv(channels: 6), .averagePool2, .conv(channels: 8), .globalAveragePool, .linear(outputs: 5),
    ])
    static let steps = 4

    static func network(seed: UInt64) -> Network { Network(spec: spec, seed: seed) }

    /// T frames [B, 2, 12, 12] of sparse binary events and B labels, for batch `k` of a run seeded by `seed`.
    static func batch(_ k: Int, size b: Int, seed: UInt64) -> (frames: [Tensor], labels: [Int]) {
        var g = SeededGenerator(seed: seed &+ UInt64(k) &* 104_729)
        let sample = spec.input.reduce(1, *)
        let frames = (0..<steps).map { _ in
            Tensor(shape: [b] + spec.input, values: (0..<b * sample).map { _ in g.uniform() < 0.3 ? 1 : 0 })
        }
        return (frames, (0..<b).map { _ in Int(g.next() % 5) })
    }

    /// The rows `range` of every frame, and those labels.
    static func slice(_ batch: (frames: [Tensor], labels: [Int]), _ range: Range<Int>) -> (frames: [Tensor], labels: [Int]) {
        let sample = spec.input.reduce(1, *)
        let frames = batch.frames.map { f in
            let t = Tensor(shape: [range.count] + spec.input)
            t.data.update(from: f.data + range.lowerBound * sample, count: range.count * sample)
            return t
        }
        return (frames, Array(batch.labels[range]))
    }

    /// OTTT_A's forward and backward over T steps (no update): the gradients summed over the steps, completed.
    static func accumulate(_ net: Network, _ batch: (frames: [Tensor], labels: [Int])) {
        let b = batch.labels.count
        guard b > 0 else { return }
        net.reset(batchSize: b, mode: .online, training: true)
        let loss = StepLoss(steps: steps)
        let g = Tensor(shape: [b, spec.classes])
        for frame in batch.frames {
            loss.evaluate(net.step(frame), labels: batch.labels, gradient: g)
            net.backwardStep(g)
        }
        net.collectGradients()
    }
}

/// The reduced gradients of a sharded global batch against one process's gradients at the whole batch, for a
/// few SGD steps; the ranks start from different weights and take rank 0's by broadcast.
func reducer(_ r: Ranks, _ arguments: [String]) throws {
    let c = r.communicator
    let global = Int(arguments.first ?? "") ?? 7
    let reference = Workload.network(seed: 1)
    let replica = Workload.network(seed: 1 + UInt64(r.rank))
    try c.broadcastParameters(of: replica)
    try c.verifyIdenticalWeights(replica.parameters)
    let referenceSGD = SGD(learningRate: 0.5), replicaSGD = SGD(learningRate: 0.5)
    let reduce = GradientReducer(parameters: replica.parameters, communicator: c, bucketBytes: 1024)
    r.expect(reduce.buckets.count > 1 && reduce.buckets.contains { $0.count > 1 } && reduce.buckets.contains { $0.count == 1 },
             "buckets \(reduce.buckets) should mix copied and in-place ones")
    var gradientDiff: Float = 0, weightDiff: Float = 0
    for k in 0..<3 {
        let batch = Workload.batch(k, size: global, seed: 11)
        Workload.accumulate(reference, batch)
        let local = BatchShard.slice(of: global, rank: r.rank, size: r.size)
        Workload.accumulate(replica, Workload.slice(batch, local))
        // Layer by layer from the classifier backwards, as backward finishes them.
        reduce.begin(localBatch: local.count, globalBatch: global)
        var layer: [Parameter] = []
        for p in replica.parameters.reversed() {
            layer.append(p)
            if p.name.hasSuffix(".weight") { try reduce.gradientsReady(layer); layer = [] }
        }
        try reduce.finish()
        try c.verifyIdentical(WeightChecksum(tensors: replica.parameters.map { (name: $0.name, tensor: $0.gradient) }))
        for (a, b) in zip(reference.parameters, replica.parameters) {
            gradientDiff = max(gradientDiff, maxDifference(a.gradient, b.gradient))
        }
        referenceSGD.step(reference)
        replicaSGD.step(replica)
        try c.verifyIdenticalWeights(replica.parameters)
        for (a, b) in zip(reference.parameters, replica.parameters) {
            weightDiff = max(weightDiff, maxDifference(a.value, b.value))
        }
    }
    let scale = reference.parameters.map(\.value.maxMagnitude).max() ?? 0
    r.expect(gradientDiff <= 1e-6 && weightDiff <= 1e-5 * max(1, scale),
             "gradients differ by \(gradientDiff), weights by \(weightDiff)")
    r.ok(["gradient_maxdiff": "\(gradientDiff)", "weight_maxdiff": "\(weightDiff)", "local": "\(BatchShard.slice(of: global, rank: r.rank, size: r.size).count)"])
}

func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    var m: Float = 0
    for i in 0..<a.count { m = max(m, abs(a.data[i] - b.data[i])) }
    return m
}

/// Times a blocking allreduce of `floats` floats (default: the paper's network, 9.2 M) and the reducer over the
/// same floats split as that network's parameters; rank 0 reports the median and the fastest of `repeats`.
func bench(_ r: Ranks, _ arguments: [String]) throws {
    let c = r.communicator
    let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 10 : 10
    let spec = arguments.first.flatMap { NetworkSpec.preset($0) } ?? NetworkSpec.preset("paper-cifar10dvs")!
    let net = Network(spec: spec, seed: 1)
    let floats = net.parameterCount
    let buffer = Tensor(shape: [floats])
    buffer.fill(1)
    func time(_ body: () throws -> Void) throws -> [Double] {
        try (0..<repeats).map { _ in
            try c.barrier()
            var start = timespec(), end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &start)
            try body()
            clock_gettime(CLOCK_MONOTONIC, &end)
            return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        }.sorted()
    }
    let blocking = try time { try c.sumInPlace(buffer.buffer) }
    let nonblocking = try time { try c.startSumInPlace(buffer.buffer).wait() }
    let reducer = GradientReducer(parameters: net.parameters, communicator: c)
    let bucketed = try time { try reducer.reduce(localBatch: 1, globalBatch: c.size) }
    let ms = { (t: [Double]) in String(format: "%.1f/%.1f", 1000 * t[t.count / 2], 1000 * t[0]) }
    r.ok(["floats": "\(floats)", "allreduce_ms_median/min": ms(blocking),
          "iallreduce_ms_median/min": ms(nonblocking), "reducer_ms_median/min": ms(bucketed),
          "buckets": "\(reducer.buckets.count)"])
}
