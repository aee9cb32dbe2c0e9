import Testing
import Tensors

@Suite("Matrix products as the engine makes them")
struct MatrixProductTests {
    @Test("run computes C = op(A)·op(B) + β·C on packed operands, for every transposition",
          arguments: [(Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)])
    func runs(_ transA: Transpose, _ transB: Transpose) {
        let p = MatrixProduct(transA, transB, m: 5, n: 7, k: 3)
        var g = SeededGenerator(seed: 11)
        let (na, nb, nc) = p.sizes
        let a = (0..<na).map { _ in 2 * g.uniform() - 1 }, b = (0..<nb).map { _ in 2 * g.uniform() - 1 }
        let c0 = (0..<nc).map { _ in g.uniform() }
        for beta: Float in [0, 1] {
            var c = c0
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in p.run(a.baseAddress!, b.baseAddress!, c.baseAddress!, beta: beta) }
                }
            }
            for i in 0..<p.m {
                for j in 0..<p.n {
                    var sum: Float = 0
                    for r in 0..<p.k {
                        sum += (transA == .none ? a[i * p.k + r] : a[r * p.m + i]) * (transB == .none ? b[r * p.n + j] : b[j * p.k + r])
                    }
                    #expect(abs(c[i * p.n + j] - (sum + beta * c0[i * p.n + j])) < 1e-5)
                }
            }
        }
    }

    @Test("a convolution's products have the shapes of its table: Y[Co,N], dW[Co,K] over N, col[K,N] over Co")
    func convolutionProducts() {
        let conv = Convolution(inChannels: 3, outChannels: 8, height: 6, width: 5)
        let (forward, weight, input) = conv.products(samples: 2)
        let K = 3 * 9, N = 2 * 30
        #expect(forward == MatrixProduct(.transposed, .none, m: 8, n: N, k: K))
        #expect(weight == MatrixProduct(.none, .transposed, m: 8, n: K, k: N))
        #expect(input == MatrixProduct(.none, .none, m: K, n: N, k: 8))
        #expect(forward.multiplyAdds == weight.multiplyAdds && weight.multiplyAdds == input.multiplyAdds)
    }
}
