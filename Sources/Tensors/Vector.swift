/// Short vector loops written with SIMD8 so that they vectorize whatever the compiler decides about aliasing.
/// The engine's targets are compiled for AVX2 + FMA (Package.swift), so a SIMD8 is one register and
/// `addingProduct` one fused multiply-add; callers outside those targets would get scalar `fmaf` calls.
public enum Vector {
    public typealias V = SIMD8<Float>

    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
        UnsafeRawPointer(p).loadUnaligned(fromByteOffset: i * 4, as: V.self)
    }

    @inlinable @inline(__always)
    public static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, toByteOffset: i * 4, as: V.self)
    }

    /// x[i..<i+16], for loops that pair neighbours (`evenHalf`, `oddHalf`).
    @inlinable @inline(__always)
    public static func load16(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
    }

    @inlinable @inline(__always)
    public static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, toByteOffset: i * 4, as: SIMD16<Float>.self)
    }

    /// y[0..<n] = x[0..<n], inline (for the short rows of im2col, where a `memmove` call costs more than the copy).
    @inlinable @inline(__always)
    public static func copy(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n { store(load(x, i), y, i); i += 8 }
        while i < n { y[i] = x[i]; i += 1 }
    }

    /// y[0..<n] = 0, inline.
    @inlinable @inline(__always)
    public static func zero(_ n: Int, _ y: UnsafeMutablePointer<Float>) {
        var i = 0
        while i + 8 <= n { store(V(repeating: 0), y, i); i += 8 }
        while i < n { y[i] = 0; i += 1 }
    }

    /// Σ x[0..<n], in eight lanes and then across them.
    @inlinable @inline(__always)
    public static func sum(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
        var lanes = V(), i = 0
        while i + 8 <= n { lanes += load(x, i); i += 8 }
        var total = lanes.sum()
        while i < n { total += x[i]; i += 1 }
        return total
    }

    /// Σ x[i]·y[i] over 0..<n, in two sets of eight lanes (two independent chains of fused multiply-adds) and then
    /// across them: a long dot product bound by throughput, not by one chain's latency.
    @inlinable @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        var a = V(), b = V(), i = 0
        while i + 16 <= n {
            a = a.addingProduct(load(x, i), load(y, i))
            b = b.addingProduct(load(x, i + 8), load(y, i + 8))
            i += 16
        }
        if i + 8 <= n { a = a.addingProduct(load(x, i), load(y, i)); i += 8 }
        var total = (a + b).sum()
        while i < n { total += x[i] * y[i]; i += 1 }
        return total
    }

    /// y[0..<n] += a · x[0..<n]
    @inlinable @inline(__always)
    public static func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let va = V(repeating: a)
        var i = 0
        while i + 8 <= n {
            store(load(y, i).addingProduct(va, load(x, i)), y, i)
            i += 8
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// y[0..<n] = a · y[0..<n] + x[0..<n]
    @inlinable @inline(__always)
    public static func scaleAndAdd(_ n: Int, _ a: Float, _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>) {
        let va = V(repeating: a)
        var i = 0
        while i + 8 <= n {
            store(load(x, i).addingProduct(va, load(y, i)), y, i)
            i += 8
        }
        while i < n { y[i] = a * y[i] + x[i]; i += 1 }
    }

    /// e^x for eight lanes (Cephes' expf: x = k·ln2 + r, a degree-5 polynomial for e^r; relative error ≈ 2e-7
    /// for x in [−87, 88]; inputs are clamped to that range).
    @inlinable @inline(__always)
    public static func exp(_ x: V) -> V {
        let lo = V(repeating: -87.3), hi = V(repeating: 88.3)
        var clamped = x
        clamped.replace(with: lo, where: x .< lo)
        clamped.replace(with: hi, where: x .> hi)
        // k = round(x / ln 2) by the 1.5·2²³ trick: the low mantissa bits of t hold k (no float→int conversion).
        let magic = V(repeating: 12_582_912)
        let t = clamped * V(repeating: 1.442_695_04) + magic
        let k = t - magic
        var r = clamped - k * V(repeating: 0.693_359_375)
        r = r - k * V(repeating: -2.121_944_4e-4)
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + V(repeating: 1.398_199_95e-3)
        p = p * r + V(repeating: 8.333_452e-3)
        p = p * r + V(repeating: 4.166_579_6e-2)
        p = p * r + V(repeating: 1.666_666_55e-1)
        p = p * r + V(repeating: 5.000_000_1e-1)
        let er = p * r * r + r + V(repeating: 1)
        // 2^k through the exponent bits: (k + 127) << 23.
        let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return er * unsafeBitCast(bits, to: V.self)
    }

    /// Whether fewer than `fraction` of the n elements are nonzero (stops counting once the answer is known).
    public static func isSparse(_ x: UnsafePointer<Float>, count n: Int, below fraction: Float) -> Bool {
        let limit = Int(fraction * Float(n))
        var nonzero = 0, i = 0
        let zero = V(repeating: 0)
        while i + 8 <= n {
            let mask = load(x, i) .!= zero
            nonzero += Int(SIMD8<Int32>(repeating: 1).replacing(with: 0, where: .!mask).wrappedSum())
            i += 8
            if i & 1023 == 0 && nonzero >= limit { return false }
        }
        while i < n { if x[i] != 0 { nonzero += 1 }; i += 1 }
        return nonzero < limit
    }
}
