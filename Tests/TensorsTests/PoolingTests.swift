import Testing
import Tensors

@Suite("Average pooling")
struct PoolingTests {
    @Test("2×2 pooling averages each window and its backward is the adjoint")
    func averagePool2() {
        let x: [Float] = [1, 2, 3, 4,
                          5, 6, 7, 8,
                          9, 10, 11, 12,
                          13, 14, 15, 16]
        var y = [Float](repeating: 0, count: 4)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { AveragePool2.forward(xp.baseAddress!, planes: 1, height: 4, width: 4, into: $0.baseAddress!) }
        }
        #expect(y == [3.5, 5.5, 11.5, 13.5])
        // ⟨pool(x), g⟩ = ⟨x, poolᵀ(g)⟩
        let g = randomValues(4, seed: 1)
        var dx = [Float](repeating: 0, count: 16)
        g.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { AveragePool2.backward(gp.baseAddress!, planes: 1, height: 4, width: 4, into: $0.baseAddress!) }
        }
        let lhs = zip(y, g).reduce(0) { $0 + $1.0 * $1.1 }, rhs = zip(x, dx).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(lhs - rhs) < 1e-4)
    }

    @Test("2×2 pooling of wide rows (eight outputs at a time and a remainder) equals the definition")
    func averagePool2Wide() {
        let planes = 3, h = 6, w = 38, ho = 3, wo = 19
        let x = randomValues(planes * h * w, seed: 2), g = randomValues(planes * ho * wo, seed: 3)
        var y = [Float](repeating: 0, count: planes * ho * wo), dx = [Float](repeating: 9, count: planes * h * w)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { AveragePool2.forward(xp.baseAddress!, planes: planes, height: h, width: w, into: $0.baseAddress!) }
        }
        g.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { AveragePool2.backward(gp.baseAddress!, planes: planes, height: h, width: w, into: $0.baseAddress!) }
        }
        for p in 0..<planes {
            for i in 0..<ho {
                for j in 0..<wo {
                    let at = { (dy: Int, dx: Int) in x[(p * h + 2 * i + dy) * w + 2 * j + dx] }
                    let expected = 0.25 * (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1))
                    #expect(abs(y[(p * ho + i) * wo + j] - expected) < 1e-6)
                    for (dy, dxo) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                        #expect(dx[(p * h + 2 * i + dy) * w + 2 * j + dxo] == 0.25 * g[(p * ho + i) * wo + j])
                    }
                }
            }
        }
    }

    @Test("2×2 pooling of many planes (split over the cores) equals pooling them one at a time")
    func averagePool2Split() {
        let planes = 96, h = 6, w = 38, ho = 3, wo = 19
        let x = randomValues(planes * h * w, seed: 4), g = randomValues(planes * ho * wo, seed: 5)
        var y = [Float](repeating: 0, count: planes * ho * wo), yOne = y
        var dx = [Float](repeating: 0, count: planes * h * w), dxOne = dx
        AveragePool2.forward(x, planes: planes, height: h, width: w, into: &y)
        AveragePool2.backward(g, planes: planes, height: h, width: w, into: &dx)
        for p in 0..<planes {
            x.withUnsafeBufferPointer { xp in
                yOne.withUnsafeMutableBufferPointer {
                    AveragePool2.forward(xp.baseAddress! + p * h * w, planes: 1, height: h, width: w, into: $0.baseAddress! + p * ho * wo)
                }
            }
            g.withUnsafeBufferPointer { gp in
                dxOne.withUnsafeMutableBufferPointer {
                    AveragePool2.backward(gp.baseAddress! + p * ho * wo, planes: 1, height: h, width: w, into: $0.baseAddress! + p * h * w)
                }
            }
        }
        #expect(y == yOne)
        #expect(dx == dxOne)
    }

    @Test("global pooling takes each plane's mean and spreads the gradient evenly")
    func globalPool() {
        let x: [Float] = [1, 2, 3, 4, 10, 20, 30, 40]
        var y: [Float] = [0, 0]
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { GlobalAveragePool.forward(xp.baseAddress!, planes: 2, size: 4, into: $0.baseAddress!) }
        }
        #expect(y == [2.5, 25])
        var dx = [Float](repeating: 0, count: 8)
        let g: [Float] = [4, 8]
        g.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { GlobalAveragePool.backward(gp.baseAddress!, planes: 2, size: 4, into: $0.baseAddress!) }
        }
        #expect(dx == [1, 1, 1, 1, 2, 2, 2, 2])
    }
}
