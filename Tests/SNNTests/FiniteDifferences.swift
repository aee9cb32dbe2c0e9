import Testing
import Tensors

/// Checks a weight reparametrisation's backward pass (`WeightStandardization`, `WeightNormalization`): for
/// L = Σ Ŵ·U with U random, its dW and dg against central differences of L in every weight and gain.
enum FiniteDifferences {
    /// Ŵ [rows, n] from W [rows, n] and g [rows].
    typealias Forward = (_ w: [Float], _ g: [Float], _ wHat: inout [Float]) -> Void
    /// dW and dg accumulated from dŴ = U.
    typealias Backward = (_ w: [Float], _ g: [Float], _ upstream: [Float], _ dW: inout [Float], _ dg: inout [Float]) -> Void

    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return (0..<n).map { _ in g.normal() }
    }

    /// Records an issue for every gradient that differs from its finite difference; returns W and dW.
    @discardableResult
    static func check(rows: Int, fanIn n: Int, gains g: [Float], forward: Forward, backward: Backward)
        -> (w: [Float], dW: [Float]) {
        let w = values(rows * n, seed: 2), upstream = values(rows * n, seed: 3)
        func loss(_ w: [Float], _ g: [Float]) -> Double {
            var out = [Float](repeating: 0, count: rows * n)
            forward(w, g, &out)
            return zip(out, upstream).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        var dw = [Float](repeating: 0, count: rows * n), dg = [Float](repeating: 0, count: rows)
        backward(w, g, upstream, &dw, &dg)
        let e: Float = 1e-3
        for i in 0..<w.count {
            var p = w, m = w
            p[i] += e; m[i] -= e
            let numeric = (loss(p, g) - loss(m, g)) / Double(2 * e)
            #expect(abs(Double(dw[i]) - numeric) < 2e-3 * (1 + abs(numeric)), "dW[\(i)]: \(dw[i]) vs \(numeric)")
        }
        for o in 0..<rows {
            var p = g, m = g
            p[o] += e; m[o] -= e
            let numeric = (loss(w, p) - loss(w, m)) / Double(2 * e)
            #expect(abs(Double(dg[o]) - numeric) < 2e-3 * (1 + abs(numeric)), "dgain[\(o)]: \(dg[o]) vs \(numeric)")
        }
        return (w, dw)
    }
}
