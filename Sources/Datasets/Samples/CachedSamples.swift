import EventBinning
import Tensors
import Training

/// Frames read from a `FrameCache` (already binned and resized), augmented and normalised per sample.
public struct CachedSamples: SampleSet {
    public let cache: FrameCache
    public let classes: [String]
    /// Augmentation (training only) and normalisation; no resize (the cache holds the network's size).
    public let preprocessing: Preprocessing

    public init(cache: FrameCache, classes: [String], preprocessing: Preprocessing) {
        self.cache = cache; self.classes = classes; self.preprocessing = preprocessing
    }

    public var count: Int { cache.count }
    public var steps: Int { cache.frameCount }
    public var frameShape: [Int] { [Frames.channels, cache.height, cache.width] }
    public func label(_ i: Int) -> Int { cache.label(i) }

    public func write(_ i: Int, into out: UnsafeMutablePointer<Float>, augment rng: inout SeededGenerator?) {
        let raw = cache.frames(i)
        let frames: Frames
        if var g = rng {
            frames = preprocessing.train(raw, using: &g)
            rng = g
        } else {
            frames = preprocessing.evaluate(raw)
        }
        frames.values.withUnsafeBufferPointer { v in
            guard let base = v.baseAddress else { return }
            out.update(from: base, count: v.count)
        }
    }
}
