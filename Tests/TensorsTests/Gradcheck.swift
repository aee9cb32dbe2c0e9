import Tensors

/// A small direct convolution, the definition the im2col kernel must agree with.
func naiveConvolution(_ x: [Float], batch: Int, inChannels ci: Int, height h: Int, width w: Int,
                      weight: [Float], bias: [Float], outChannels co: Int, kernel k: Int, padding p: Int,
                      stride s: Int) -> [Float] {
    let ho = (h + 2 * p - k) / s + 1, wo = (w + 2 * p - k) / s + 1
    var y = [Float](repeating: 0, count: batch * co * ho * wo)
    for b in 0..<batch {
        for o in 0..<co {
            for i in 0..<ho {
                for j in 0..<wo {
                    var acc = bias[o]
                    for c in 0..<ci {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let iy = i * s - p + ky, ix = j * s - p + kx
                                if iy < 0 || iy >= h || ix < 0 || ix >= w { continue }
                                acc += weight[((o * ci + c) * k + ky) * k + kx] * x[((b * ci + c) * h + iy) * w + ix]
                            }
                        }
                    }
                    y[((b * co + o) * ho + i) * wo + j] = acc
                }
            }
        }
    }
    return y
}

/// Random values in [-1, 1) from a fixed seed.
func randomValues(_ n: Int, seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in 2 * g.uniform() - 1 }
}

/// The largest |a − b| / (1 + |b|).
func maxError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
    return zip(a, b).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
}
