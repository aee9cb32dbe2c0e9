/// One matrix product as the engine calls `BLAS.gemm`: C[M×N] = op(A)[M×K] · op(B)[K×N] + β·C, row-major, the
/// operands packed (leading dimensions their row lengths). Benchmarks time exactly the products a network makes.
public struct MatrixProduct: Sendable, Equatable, CustomStringConvertible {
    public var transA: Transpose, transB: Transpose
    public var m: Int, n: Int, k: Int

    public init(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int) {
        self.transA = transA; self.transB = transB; self.m = m; self.n = n; self.k = k
    }

    public var multiplyAdds: Int { m * n * k }

    /// Floats of A, B and C.
    public var sizes: (a: Int, b: Int, c: Int) { (m * k, k * n, m * n) }

    /// C = op(A) · op(B) + β·C through `BLAS.gemm` (split over the engine's threads like every product).
    public func run(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, beta: Float) {
        BLAS.gemm(transA, transB, m: m, n: n, k: k, a, lda: transA == .none ? k : m,
                  b, ldb: transB == .none ? n : k, beta: beta, c, ldc: n)
    }

    /// "C 64×256 = Aᵀ·B, K 288": the result's shape, which operands are used transposed, the inner dimension.
    public var description: String {
        "C \(m)×\(n) = A\(transA == .none ? "" : "ᵀ")·B\(transB == .none ? "" : "ᵀ"), K \(k)"
    }
}
