import Tensors

/// Labelled samples of T frames each, [T, C, H, W], as the network sees them (resized, normalised, and augmented
/// when asked). The trainer reads them through this protocol; `SyntheticSamples` is one, and the Datasets module
/// makes them from event recordings (`CachedSamples`).
public protocol SampleSet {
    var count: Int { get }
    var classes: [String] { get }
    /// Time steps per sample.
    var steps: Int { get }
    /// One frame, [C, H, W].
    var frameShape: [Int] { get }
    func label(_ i: Int) -> Int
    /// Writes sample `i`, [T, C, H, W], into `out`; augments with `rng` when it is given (training).
    func write(_ i: Int, into out: UnsafeMutablePointer<Float>, augment rng: inout SeededGenerator?)
}

extension SampleSet {
    /// Every sample's label, in order.
    public var labels: [Int] { (0..<count).map(label) }
}

/// Puts samples together into the engine's batches: `frames[t]` [B, C, H, W] for t in 0..<T, and the labels.
/// The tensors are reused from batch to batch (one set per batch size), so they are valid until the next call.
public final class BatchAssembler {
    private var buffers: [Int: [Tensor]] = [:]
    private var scratch: [Float] = []

    public init() {}

    public func batch(_ set: some SampleSet, indices: some Collection<Int>, augment rng: inout SeededGenerator?)
        -> (frames: [Tensor], labels: [Int]) {
        fill(set, indices: indices) { _, write in write(&rng) }
    }

    /// A training batch in which sample `indices[j]` is augmented by a generator seeded with `augmentKeys[j]`
    /// alone, so that its augmentation does not depend on its neighbours in the batch (or on the rank reading it).
    public func batch(_ set: some SampleSet, indices: some Collection<Int>, augmentKeys: [UInt64])
        -> (frames: [Tensor], labels: [Int]) {
        precondition(augmentKeys.count == indices.count, "\(augmentKeys.count) keys for \(indices.count) samples")
        return fill(set, indices: indices) { slot, write in
            var g: SeededGenerator? = SeededGenerator(seed: augmentKeys[slot])
            write(&g)
        }
    }

    /// Writes each sample through `augment(slot, write)`, which calls `write` once with the generator to use.
    private func fill(_ set: some SampleSet, indices: some Collection<Int>,
                      augment: (Int, (inout SeededGenerator?) -> Void) -> Void) -> (frames: [Tensor], labels: [Int]) {
        let b = indices.count, steps = set.steps, frameSize = set.frameShape.reduce(1, *)
        let frames = buffers[b] ?? (0..<steps).map { _ in Tensor(shape: [b] + set.frameShape) }
        buffers[b] = frames
        if scratch.count != steps * frameSize { scratch = [Float](repeating: 0, count: steps * frameSize) }
        var labels: [Int] = []
        labels.reserveCapacity(b)
        scratch.withUnsafeMutableBufferPointer { sample in
            guard let base = sample.baseAddress else { return }
            for (slot, i) in indices.enumerated() {
                augment(slot) { rng in set.write(i, into: base, augment: &rng) }
                for t in 0..<steps {
                    (frames[t].data + slot * frameSize).update(from: base + t * frameSize, count: frameSize)
                }
                labels.append(set.label(i))
            }
        }
        return (frames, labels)
    }
}
