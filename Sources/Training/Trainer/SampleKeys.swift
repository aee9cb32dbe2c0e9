import Tensors

/// The random keys of an epoch's samples, one per position in the epoch's order: the sample at position p is
/// augmented by a generator seeded with `augmentation(p)` and its dropout masks are drawn from `dropout(p)`.
/// A sample's randomness then depends only on the epoch and its place in the epoch, not on its neighbours in the
/// batch or on the rank that reads it, so a run on N ranks at global batch B draws what one rank at B draws.
public struct SampleKeys: Sendable, Equatable {
    /// The epoch's seed (drawn from the run's seed and the epoch).
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The augmentation key of position `p`.
    public func augmentation(_ p: Int) -> UInt64 { Self.mix(seed, UInt64(truncatingIfNeeded: p)) }

    /// The dropout key of position `p` (independent of its augmentation key).
    public func dropout(_ p: Int) -> UInt64 { Self.mix(seed ^ 0x6472_6f70_6f75_7421, UInt64(truncatingIfNeeded: p)) }

    /// SplitMix64's finaliser of `a` and `b`: different positions give unrelated keys.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a &+ (b &+ 1) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}
