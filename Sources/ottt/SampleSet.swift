import Foundation
import Datasets
import EventBinning
import Tensors

/// Labelled samples of T frames each, [T, C, H, W], as the network sees them (resized, normalised, and augmented
/// when asked): the frame cache of a dataset part, or generated synthetic samples.
protocol SampleSet {
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
    var labels: [Int] { (0..<count).map(label) }
}

/// Frames read from a `FrameCache` (already binned and resized), augmented and normalised per sample.
struct CachedSamples: SampleSet {
    let cache: FrameCache
    let classes: [String]
    /// Augmentation (training only) and normalisation; no resize (the cache holds the network's size).
    let preprocessing: Preprocessing

    var count: Int { cache.count }
    var steps: Int { cache.frameCount }
    var frameShape: [Int] { [Frames.channels, cache.height, cache.width] }
    func label(_ i: Int) -> Int { cache.label(i) }

    func write(_ i: Int, into out: UnsafeMutablePointer<Float>, augment rng: inout SeededGenerator?) {
        let raw = cache.frames(i)
        let frames = rng == nil ? preprocessing.evaluate(raw) : preprocessing.train(raw, using: &rng!)
        frames.values.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: $0.count) }
    }
}

/// Random but learnable samples for smoke tests: class k owns a fixed random mask over [C, H, W] (a fifth of the
/// pixels); a sample of class k is binary frames where each pixel fires with probability 0.05, or 0.5 inside the
/// mask, independently at every step. Sample i has class i mod K; everything follows from the seed, so a test set
/// (a different `first` index) is regenerated identically by `ottt eval`.
struct SyntheticSamples: SampleSet {
    let count: Int
    let classes: [String]
    let steps: Int
    let frameShape: [Int]
    /// Index of the first sample (train and test sets are disjoint ranges of one sequence).
    let first: Int
    let seed: UInt64
    private let masks: [[Bool]]

    init(count: Int, classes: Int, steps: Int, frameShape: [Int], first: Int, seed: UInt64) {
        precondition(classes > 1 && count > 0 && steps > 0, "synthetic set of \(count) samples, \(classes) classes, T = \(steps)")
        self.count = count
        self.classes = (0..<classes).map { "class\($0)" }
        self.steps = steps
        self.frameShape = frameShape
        self.first = first
        self.seed = seed
        var g = SeededGenerator(seed: seed ^ 0x6d61_736b)
        let n = frameShape.reduce(1, *)
        masks = (0..<classes).map { _ in (0..<n).map { _ in g.uniform() < 0.2 } }
    }

    func label(_ i: Int) -> Int { (first + i) % classes.count }

    func write(_ i: Int, into out: UnsafeMutablePointer<Float>, augment rng: inout SeededGenerator?) {
        precondition(i >= 0 && i < count, "synthetic sample \(i) of \(count)")
        var g = SeededGenerator(seed: seed &+ UInt64(first + i) &* 0x9E37_79B9_7F4A_7C15)
        let mask = masks[label(i)], n = mask.count
        for t in 0..<steps {
            for j in 0..<n { out[t * n + j] = g.uniform() < (mask[j] ? 0.5 : 0.05) ? 1 : 0 }
        }
    }
}

/// Puts samples together into the engine's batches: `frames[t]` [B, C, H, W] for t in 0..<T, and the labels.
/// The tensors are reused from batch to batch (one set per batch size), so they are valid until the next call.
final class BatchAssembler {
    private var buffers: [Int: [Tensor]] = [:]
    private var scratch: [Float] = []

    func batch(_ set: some SampleSet, indices: some Collection<Int>, augment rng: inout SeededGenerator?)
        -> (frames: [Tensor], labels: [Int]) {
        let b = indices.count, steps = set.steps, frameSize = set.frameShape.reduce(1, *)
        let frames = buffers[b] ?? (0..<steps).map { _ in Tensor(shape: [b] + set.frameShape) }
        buffers[b] = frames
        if scratch.count != steps * frameSize { scratch = [Float](repeating: 0, count: steps * frameSize) }
        var labels: [Int] = []
        labels.reserveCapacity(b)
        scratch.withUnsafeMutableBufferPointer { sample in
            for (slot, i) in indices.enumerated() {
                set.write(i, into: sample.baseAddress!, augment: &rng)
                for t in 0..<steps {
                    (frames[t].data + slot * frameSize).update(from: sample.baseAddress! + t * frameSize, count: frameSize)
                }
                labels.append(set.label(i))
            }
        }
        return (frames, labels)
    }
}
