import Tensors

/// Weight normalization (Salimans & Kingma 2016) per output row o over its n weights, the normalised classifier's
/// (`fcnN`) weights:
///
///     forward   r = sqrt(Σ_i W[o,i]² + ε),  v = W[o] / r
///               Ŵ[o,i] = g[o] · v_i
///     backward  dg[o]   = Σ_i dŴ[o,i] · v_i
///               dW[o,i] = g[o] / r · (dŴ[o,i] − v_i · dg[o])
///
/// The loss does not depend on the length of W[o], only on its direction and g[o]; dW is orthogonal to W[o], so a
/// step turns the row and lengthens it, and later steps of the same size turn it less.
///
/// Legend: F output rows, n weights per row (the classifier's inputs).
public enum WeightNormalization {
    public static let epsilon: Float = 1e-12

    /// Ŵ[F, n] from W[F, n] and g[F].
    public static func forward(weight w: UnsafePointer<Float>, gain g: UnsafePointer<Float>, rows: Int, fanIn n: Int,
                               into wHat: UnsafeMutablePointer<Float>) {
        for o in 0..<rows {
            let row = w + o * n, out = wHat + o * n
            let k = g[o] / length(row, n)
            for i in 0..<n { out[i] = k * row[i] }
        }
    }

    /// dW[F, n] += ∂L/∂W and dg[F] += ∂L/∂g from dŴ[F, n].
    public static func backward(weight w: UnsafePointer<Float>, gain g: UnsafePointer<Float>, rows: Int, fanIn n: Int,
                                normalizedGradient dWHat: UnsafePointer<Float>,
                                weightGradient dW: UnsafeMutablePointer<Float>, gainGradient dg: UnsafeMutablePointer<Float>) {
        for o in 0..<rows {
            let row = w + o * n, grad = dWHat + o * n, out = dW + o * n
            let r = length(row, n)
            let dgo = Vector.dot(n, grad, row) / r           // Σ dŴ·v
            dg[o] += dgo
            let k = g[o] / r, along = dgo / r                // dW = k · (dŴ − (W/r)·dg)
            for i in 0..<n { out[i] += k * (grad[i] - along * row[i]) }
        }
    }

    /// sqrt(Σ W² + ε) of one row.
    @inline(__always)
    static func length(_ row: UnsafePointer<Float>, _ n: Int) -> Float {
        (Vector.dot(n, row, row) + epsilon).squareRoot()
    }
}
