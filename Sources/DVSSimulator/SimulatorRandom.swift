import Foundation

/// The simulator's pseudo-random numbers: xoshiro256** (Blackman & Vigna, 2018) seeded through SplitMix64.
///
/// Written here rather than taken from the platform so that a seed gives the same events on every machine and
/// every Swift version: the raw bits, uniform draws, integers and permutations are fixed by this file alone; normal
/// and exponential draws also go through the C library's `log` and `cos` (correctly rounded `log` in glibc).
public struct SimulatorRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        s0 = SimulatorRandom.splitMix64(&sm)
        s1 = SimulatorRandom.splitMix64(&sm)
        s2 = SimulatorRandom.splitMix64(&sm)
        s3 = SimulatorRandom.splitMix64(&sm)
    }

    /// A generator for sub-stream `stream` of `seed`: sample 17 of seed 3 never depends on samples 0…16.
    public init(seed: UInt64, stream: UInt64) {
        var sm = seed ^ 0x6A09_E667_F3BC_C909
        let a = SimulatorRandom.splitMix64(&sm)
        sm = a ^ (stream &* 0x9E37_79B9_7F4A_7C15)
        self.init(seed: SimulatorRandom.splitMix64(&sm))
    }

    /// SplitMix64 (Steele, Lea & Flood, 2014): one step of a 64-bit counter through a mixing function.
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 raw bits.
    public mutating func next() -> UInt64 {
        let result = SimulatorRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = SimulatorRandom.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * uniform()
    }

    /// Uniform integer in 0..<n (Lemire's multiply-shift; the bias is below 2⁻³² for the sizes used here).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs a positive bound, got \(n)")
        return Int(((next() >> 32) &* UInt64(n)) >> 32)
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal (Box–Muller; one value per call, the twin is discarded to keep the state simple).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()  // (0, 1]: log stays finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Exponential with the given rate (mean 1/rate).
    public mutating func exponential(rate: Double) -> Double {
        precondition(rate > 0, "exponential(rate:) needs a positive rate, got \(rate)")
        return -log(1 - uniform()) / rate
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<n)
        var i = n - 1
        while i > 0 {
            a.swapAt(i, int(below: i + 1))
            i -= 1
        }
        return a
    }
}
