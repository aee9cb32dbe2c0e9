import Testing
import Tensors

@Suite("Tensor and BLAS")
struct TensorTests {
    @Test("a tensor starts at zero, copies are independent, and assign copies values")
    func basics() {
        let t = Tensor(shape: [2, 3])
        #expect(t.count == 6 && t.values.allSatisfy { $0 == 0 })
        t[4] = 2
        let c = t.copy()
        t[4] = 5
        #expect(c[4] == 2)
        c.assign(t)
        #expect(c[4] == 5)
        #expect(Int(bitPattern: t.data) % 64 == 0)
    }

    @Test("gemm multiplies row-major matrices with either operand transposed")
    func gemm() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]      // 2×3
        let b: [Float] = [7, 8, 9, 10, 11, 12]   // 3×2
        var c = [Float](repeating: 1, count: 4)
        BLAS.gemm(.none, .none, m: 2, n: 2, k: 3, a, lda: 3, b, ldb: 2, beta: 0, &c, ldc: 2)
        #expect(c == [58, 64, 139, 154])
        // Aᵀ (3×2) · A (2×3) accumulated onto C = 1.
        var d = [Float](repeating: 1, count: 9)
        BLAS.gemm(.transposed, .none, m: 3, n: 3, k: 2, a, lda: 3, a, ldb: 3, beta: 1, &d, ldc: 3)
        #expect(d == [18, 23, 28, 23, 30, 37, 28, 37, 46])
    }

    struct Product: Sendable, CustomStringConvertible {
        var m, n, k: Int
        var transA, transB: Transpose
        var beta: Float
        var description: String { "\(m)×\(n)×\(k) \(transA)/\(transB) β \(beta)" }
    }

    /// Rows and columns of C (matrix–vector products), outer products (K = 1, with β = 1 and not), a product split
    /// by columns and one split by rows (both above `BLAS.singleThreadBelow`), each with every transposition.
    static let products: [Product] = [(1, 10, 50, Float(1)), (7, 1, 33, 0.5), (1, 1, 5, 0), (10, 300, 1, 1), (9, 20, 1, 0.5),
                                      (130, 300, 40, 1), (600, 20, 100, 0)]
        .flatMap { m, n, k, beta in
            [(Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)]
                .map { Product(m: m, n: n, k: k, transA: $0.0, transB: $0.1, beta: beta) }
        }

    @Test("gemm equals the definition for rows, columns and products split over the cores", arguments: products)
    func gemmShapes(_ p: Product) {
        var g = SeededGenerator(seed: UInt64(p.m * 1000 + p.n))
        func values(_ n: Int) -> [Float] { (0..<n).map { _ in 2 * g.uniform() - 1 } }
        // Stored A is [M×K] or, transposed, [K×M]; B is [K×N] or [N×K]; leading dimensions one wider than needed.
        let lda = (p.transA == .none ? p.k : p.m) + 1, ldb = (p.transB == .none ? p.n : p.k) + 1, ldc = p.n + 2
        let a = values((p.transA == .none ? p.m : p.k) * lda), b = values((p.transB == .none ? p.k : p.n) * ldb)
        let c0 = values(p.m * ldc)
        var c = c0
        BLAS.gemm(p.transA, p.transB, m: p.m, n: p.n, k: p.k, alpha: 0.75, a, lda: lda, b, ldb: ldb, beta: p.beta, &c, ldc: ldc)
        var worst: Float = 0
        for i in 0..<p.m {
            for j in 0..<p.n {
                var sum: Float = 0
                for r in 0..<p.k {
                    let aik = p.transA == .none ? a[i * lda + r] : a[r * lda + i]
                    let bkj = p.transB == .none ? b[r * ldb + j] : b[j * ldb + r]
                    sum += aik * bkj
                }
                worst = max(worst, abs(c[i * ldc + j] - (0.75 * sum + p.beta * c0[i * ldc + j])))
            }
            // The padding columns of C are left alone.
            for j in p.n..<ldc { #expect(c[i * ldc + j] == c0[i * ldc + j]) }
        }
        #expect(worst < 1e-4)
    }

    @Test("the seeded generator is reproducible and its normals have mean 0 and variance 1")
    func random() {
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        #expect((0..<5).map { _ in g1.next() } == (0..<5).map { _ in g2.next() })
        var g = SeededGenerator(seed: 7)
        let xs = (0..<20000).map { _ in Double(g.normal()) }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }
}
