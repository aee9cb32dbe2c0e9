import Tensors

/// Scaled weight standardization (Brock et al.; OTTT's `ScaledWSConv2d`), per output channel o over its n = fan_in
/// = Ci·k·k weights, with the unbiased variance and ε = 1e-4:
///
///     forward   μ = mean(W[o]),  v = Σ (W[o,i] − μ)² / (n − 1),  d = sqrt(v · n + ε)
///               Ŵ[o,i] = g[o] · (W[o,i] − μ) / d
///     backward  with z_i = (W[o,i] − μ)/d and dz_i = g[o] · dŴ[o,i]:
///               dg[o]   = Σ_i dŴ[o,i] · z_i
///               dW[o,i] = dz_i/d − mean(dz)/d − z_i · n/(n−1) · Σ_j dz_j z_j / d
///
/// Legend: Co output channels, n weights per channel.
public enum WeightStandardization {
    public static let epsilon: Float = 1e-4
    /// Layers with fewer weights than this per part stay on one thread.
    static let grain = 1 << 16

    /// Ŵ[Co, n] from W[Co, n] and g[Co]; or, when `transposed`, Ŵᵀ[n, Co] (the layout `Convolution` takes).
    public static func forward(weight w: UnsafePointer<Float>, gain g: UnsafePointer<Float>, channels: Int, fanIn n: Int,
                               into wHat: UnsafeMutablePointer<Float>, transposed: Bool = false) {
        // Blocks of 16 channels: with `transposed`, each block writes 16 adjacent floats (one cache line) of every
        // row of Ŵᵀ while reading its 16 rows of W in order. Blocks run on both cores for large layers.
        let block = 16
        let blocks = (channels + block - 1) / block
        struct Blocks: RangeLoop {
            let w: UnsafePointer<Float>, g: UnsafePointer<Float>, wHat: UnsafeMutablePointer<Float>
            let channels: Int, n: Int, block: Int, transposed: Bool

            func callAsFunction(_ range: Range<Int>) {
                for b in range {
                    let o0 = b * block, width = min(block, channels - o0)
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * block) { moments in
                        for j in 0..<width {
                            let (μ, d) = WeightStandardization.moments(w + (o0 + j) * n, n)
                            moments[j] = μ; moments[block + j] = g[o0 + j] / d
                        }
                        if transposed {
                            for i in 0..<n {
                                let out = wHat + i * channels + o0, column = w + o0 * n + i
                                for j in 0..<width { out[j] = moments[block + j] * (column[j * n] - moments[j]) }
                            }
                        } else {
                            for j in 0..<width {
                                let row = w + (o0 + j) * n, out = wHat + (o0 + j) * n
                                for i in 0..<n { out[i] = moments[block + j] * (row[i] - moments[j]) }
                            }
                        }
                    }
                }
            }
        }
        Parallel.forRanges(blocks, grain: max(1, grain / (block * n)),
                           Blocks(w: w, g: g, wHat: wHat, channels: channels, n: n, block: block, transposed: transposed))
    }

    /// dW[Co, n] += ∂L/∂W and dg[Co] += ∂L/∂g from dŴ[Co, n].
    public static func backward(weight w: UnsafePointer<Float>, gain g: UnsafePointer<Float>, channels: Int, fanIn n: Int,
                                standardizedGradient dWHat: UnsafePointer<Float>,
                                weightGradient dW: UnsafeMutablePointer<Float>, gainGradient dg: UnsafeMutablePointer<Float>) {
        let nf = Float(n)
        struct Channels: RangeLoop {
            let w: UnsafePointer<Float>, g: UnsafePointer<Float>, dWHat: UnsafePointer<Float>
            let dW: UnsafeMutablePointer<Float>, dg: UnsafeMutablePointer<Float>, n: Int, nf: Float

            func callAsFunction(_ range: Range<Int>) {
                for o in range {
                    let row = w + o * n, grad = dWHat + o * n, out = dW + o * n
                    let (mean, d) = WeightStandardization.moments(row, n)
                    // With z = (W − μ)/d and dz = g · dŴ:
                    //   dW_i = dz_i/d − mean(dz)/d − z_i · (n/(n−1)) · Σ_j dz_j z_j / d
                    // Σ dŴ and Σ dŴ·z in eight lanes each, then the lanes summed.
                    let vMean = Vector.V(repeating: mean), vD = Vector.V(repeating: d)
                    var laneDWHat = Vector.V(), laneDWz = Vector.V()
                    var i = 0
                    while i + 8 <= n {
                        let dWHat = Vector.load(grad, i), z = (Vector.load(row, i) - vMean) / vD
                        laneDWHat += dWHat
                        laneDWz = laneDWz.addingProduct(dWHat, z)
                        i += 8
                    }
                    var sumDWHat = laneDWHat.sum(), sumDWz = laneDWz.sum()
                    while i < n {
                        let z = (row[i] - mean) / d
                        sumDWHat += grad[i]
                        sumDWz += grad[i] * z
                        i += 1
                    }
                    let sumDz = sumDWHat * g[o], sumDzZ = sumDWz * g[o]
                    dg[o] += sumDWz
                    let k = nf / (nf - 1) * sumDzZ, meanDz = sumDz / nf
                    let vG = Vector.V(repeating: g[o]), vK = Vector.V(repeating: k), vMeanDz = Vector.V(repeating: meanDz)
                    i = 0
                    while i + 8 <= n {
                        let z = (Vector.load(row, i) - vMean) / vD
                        let update = (vG * Vector.load(grad, i) - vMeanDz - z * vK) / vD
                        Vector.store(Vector.load(out, i) + update, out, i)
                        i += 8
                    }
                    while i < n {
                        let z = (row[i] - mean) / d
                        out[i] += (g[o] * grad[i] - meanDz - z * k) / d
                        i += 1
                    }
                }
            }
        }
        Parallel.forRanges(channels, grain: max(1, grain / n), Channels(w: w, g: g, dWHat: dWHat, dW: dW, dg: dg, n: n, nf: nf))
    }

    /// Mean and d = sqrt(v·n + ε) of one channel's n weights (v the unbiased variance).
    @inline(__always)
    static func moments(_ row: UnsafePointer<Float>, _ n: Int) -> (mean: Float, d: Float) {
        // Sums in double precision, four lanes at a time, the lanes added at the end.
        typealias D = SIMD4<Double>
        var lanes = D(), i = 0
        while i + 8 <= n {
            let v = Vector.load(row, i)
            lanes += D(v.lowHalf) + D(v.highHalf)
            i += 8
        }
        var sum = lanes.sum()
        while i < n { sum += Double(row[i]); i += 1 }
        let mean = sum / Double(n), vMean = D(repeating: mean)
        lanes = D(); i = 0
        while i + 8 <= n {
            let v = Vector.load(row, i)
            let c0 = D(v.lowHalf) - vMean, c1 = D(v.highHalf) - vMean
            lanes = lanes.addingProduct(c0, c0).addingProduct(c1, c1)
            i += 8
        }
        var sq = lanes.sum()
        while i < n { let c = Double(row[i]) - mean; sq += c * c; i += 1 }
        let variance = n > 1 ? sq / Double(n - 1) : 0
        return (Float(mean), Float((variance * Double(n) + Double(epsilon)).squareRoot()))
    }
}
