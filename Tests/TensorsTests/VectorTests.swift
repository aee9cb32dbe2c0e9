import Foundation
import Testing
import Tensors

@Suite("Vector loops")
struct VectorTests {
    @Test("the SIMD exp is within 1e-6 relative of the library's", arguments: [-87.0, -20, -3.3, -0.1, 0, 0.4, 2.5, 30, 88] as [Float])
    func exp(_ x: Float) {
        let v = Vector.exp(Vector.V(repeating: x))
        let expected = Foundation.exp(Double(x))
        #expect(abs(Double(v[3]) - expected) <= 1e-6 * expected)
    }

    @Test("sparsity is decided from the count of nonzero elements")
    func sparse() {
        var x = [Float](repeating: 0, count: 5000)
        for i in stride(from: 0, to: 5000, by: 10) { x[i] = 1 }      // 10 %
        #expect(Vector.isSparse(x, count: x.count, below: 0.2))
        #expect(!Vector.isSparse(x, count: x.count, below: 0.05))
        #expect(!Vector.isSparse([Float](repeating: 1, count: 3000), count: 3000, below: 0.2))
    }

    @Test("sum, copy and zero handle lengths that are not multiples of 8", arguments: [0, 5, 8, 37])
    func sumCopyZero(_ n: Int) {
        let x = (0..<n).map { Float($0 % 7) - 2.5 }
        #expect(Vector.sum(n, x) == x.reduce(0, +))
        var y = [Float](repeating: 9, count: n + 1)
        Vector.copy(n, x, &y)
        #expect(Array(y[0..<n]) == x && y[n] == 9)
        Vector.zero(n, &y)
        #expect(y[0..<n].allSatisfy { $0 == 0 } && y[n] == 9)
    }

    @Test("dot equals the plain sum of products at lengths around its 16 and 8 lane steps",
          arguments: [0, 3, 8, 15, 16, 24, 37, 16_384])
    func dot(_ n: Int) {
        let x = (0..<n).map { Float($0 % 5) - 1.5 }, y = (0..<n).map { Float($0 % 3) * 0.5 }
        let plain = zip(x, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(Double(Vector.dot(n, x, y)) - plain) <= 1e-6 * max(1, abs(plain)), "n \(n)")
    }

    @Test("axpy and scaleAndAdd handle lengths that are not multiples of 8")
    func tails() {
        var y = [Float](repeating: 1, count: 11)
        let x = (0..<11).map(Float.init)
        Vector.axpy(11, 2, x, &y)
        let afterAxpy: [Float] = x.map { 1 + 2 * $0 }
        #expect(y == afterAxpy)
        Vector.scaleAndAdd(11, 0.5, &y, x)
        let afterScale: [Float] = x.map { 0.5 * (1 + 2 * $0) + $0 }
        #expect(y == afterScale)
    }
}
