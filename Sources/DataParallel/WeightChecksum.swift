import SNN
import Tensors

/// A fingerprint of a network's parameter values: equal on two ranks exactly when (but for hash collisions)
/// every parameter holds the same bits, in the same order, with the same names and shapes.
///
/// `hash` is FNV-1a over 64-bit words (each name's bytes, each shape, each value's bit pattern); `sum` is the
/// sum of all values in Double, for people to read (equal bits give equal sums, in this fixed order).
public struct WeightChecksum: Sendable, Equatable, CustomStringConvertible {
    public let hash: UInt64
    public let sum: Double

    public init(hash: UInt64, sum: Double) { self.hash = hash; self.sum = sum }

    /// The checksum of `parameters`' values.
    public init(_ parameters: [Parameter]) {
        self.init(tensors: parameters.map { (name: $0.name, tensor: $0.value) })
    }

    /// The checksum of named tensors (gradients, optimizer state, …).
    public init(tensors: [(name: String, tensor: Tensor)]) {
        var h = FNV()
        var sum = 0.0
        for (name, t) in tensors {
            for byte in name.utf8 { h.mix(UInt64(byte)) }
            for extent in t.shape { h.mix(UInt64(truncatingIfNeeded: extent)) }
            let v = t.data
            for i in 0..<t.count {
                h.mix(UInt64(v[i].bitPattern))
                sum += Double(v[i])
            }
        }
        self.init(hash: h.state, sum: sum)
    }

    /// The checksum of names and shapes only: equal on ranks that built the same network.
    public static func structure(of parameters: [Parameter]) -> UInt64 {
        var h = FNV()
        for p in parameters {
            for byte in p.name.utf8 { h.mix(UInt64(byte)) }
            h.mix(UInt64(p.value.shape.count))
            for extent in p.value.shape { h.mix(UInt64(truncatingIfNeeded: extent)) }
        }
        return h.state
    }

    public var description: String { "\(hex(hash)) (Σ \(sum))" }

    /// FNV-1a, fed one 64-bit word at a time (8 bytes, little end first).
    struct FNV {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func mix(_ word: UInt64) {
            var w = word
            for _ in 0..<8 {
                state = (state ^ (w & 0xff)) &* 0x0000_0100_0000_01b3
                w >>= 8
            }
        }
    }
}
