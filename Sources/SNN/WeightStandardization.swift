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

    /// Ŵ[Co, n] from W[Co, n] and g[Co]; or, when `transposed`, Ŵᵀ[n, Co] (the layout `Convolution` takes).
    public static func forward(weight w: UnsafePointer<Float>, gain g: UnsafePointer<Float>, channels: Int, fanIn n: Int,
                               into wHat: UnsafeMutablePointer<Float>, transposed: Bool = false) {
        for o in 0..<channels {
            let row = w + o * n
            let (mean, d) = moments(row, n)
            let scale = g[o] / d
            if transposed {
                let column = wHat + o
                for i in 0..<n { column[i * channels] = scale * (row[i] - mean) }
            } else {
                let out = wHat + o * n
                for i in 0..<n { out[i] = scale * (row[i] - mean) }
            }
        }
    }

    /// dW[Co, n] += ∂L/∂W and dg[Co] += ∂L/∂g from dŴ[Co, n].
    public static func backward(weight w: UnsafePointer<Float>, gain g: UnsafePointer<Float>, channels: Int, fanIn n: Int,
                                standardizedGradient dWHat: UnsafePointer<Float>,
                                weightGradient dW: UnsafeMutablePointer<Float>, gainGradient dg: UnsafeMutablePointer<Float>) {
        let nf = Float(n)
        for o in 0..<channels {
            let row = w + o * n, grad = dWHat + o * n, out = dW + o * n
            let (mean, d) = moments(row, n)
            // With z = (W − μ)/d and dz = g · dŴ:
            //   dW_i = dz_i/d − mean(dz)/d − z_i · (n/(n−1)) · Σ_j dz_j z_j / d
            var sumDz: Float = 0, sumDzZ: Float = 0, sumDWz: Float = 0
            for i in 0..<n {
                let z = (row[i] - mean) / d
                sumDz += grad[i]
                sumDWz += grad[i] * z
            }
            sumDz *= g[o]
            sumDzZ = sumDWz * g[o]
            dg[o] += sumDWz
            let k = nf / (nf - 1) * sumDzZ
            for i in 0..<n {
                let z = (row[i] - mean) / d
                out[i] += (g[o] * grad[i] - sumDz / nf - z * k) / d
            }
        }
    }

    /// Mean and d = sqrt(v·n + ε) of one channel's n weights (v the unbiased variance).
    @inline(__always)
    static func moments(_ row: UnsafePointer<Float>, _ n: Int) -> (mean: Float, d: Float) {
        var sum: Double = 0
        for i in 0..<n { sum += Double(row[i]) }
        let mean = sum / Double(n)
        var sq: Double = 0
        for i in 0..<n { let c = Double(row[i]) - mean; sq += c * c }
        let variance = n > 1 ? sq / Double(n - 1) : 0
        return (Float(mean), Float((variance * Double(n) + Double(epsilon)).squareRoot()))
    }
}
