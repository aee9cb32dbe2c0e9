import Testing
import SNN
import Tensors

@Suite("Weight normalization")
struct WeightNormalizationTests {
    @Test("each row of Ŵ points along W's row with the length of its gain")
    func forward() {
        let (rows, n) = (3, 40)
        let w = FiniteDifferences.values(rows * n, seed: 1), g: [Float] = [1, 2.5, 0.25]
        var out = [Float](repeating: 0, count: rows * n)
        WeightNormalization.forward(weight: w, gain: g, rows: rows, fanIn: n, into: &out)
        for o in 0..<rows {
            let row = Array(out[(o * n)..<((o + 1) * n)]), original = Array(w[(o * n)..<((o + 1) * n)])
            let length = row.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(length - g[o]) < 1e-5 * g[o], "row \(o): ‖Ŵ‖ \(length), gain \(g[o])")
            let ratio = row[0] / original[0]
            for i in 0..<n { #expect(abs(row[i] - ratio * original[i]) < 1e-5, "row \(o), weight \(i)") }
        }
    }

    @Test("the same W scaled by 7 gives the same Ŵ")
    func scaleInvariant() {
        let (rows, n) = (2, 33)
        let w = FiniteDifferences.values(rows * n, seed: 5), g: [Float] = [1.5, 0.5]
        var out = [Float](repeating: 0, count: rows * n), scaled = out
        WeightNormalization.forward(weight: w, gain: g, rows: rows, fanIn: n, into: &out)
        WeightNormalization.forward(weight: w.map { $0 * 7 }, gain: g, rows: rows, fanIn: n, into: &scaled)
        for i in 0..<out.count { #expect(abs(out[i] - scaled[i]) < 1e-5) }
    }

    @Test("the backward pass equals finite differences in W and gain, and dW is orthogonal to W")
    func backward() {
        let (rows, n) = (2, 9)
        let (w, dw) = FiniteDifferences.check(rows: rows, fanIn: n, gains: [1.3, 0.7], forward: { w, g, out in
            WeightNormalization.forward(weight: w, gain: g, rows: rows, fanIn: n, into: &out)
        }, backward: { w, g, upstream, dw, dg in
            WeightNormalization.backward(weight: w, gain: g, rows: rows, fanIn: n, normalizedGradient: upstream,
                                         weightGradient: &dw, gainGradient: &dg)
        })
        for o in 0..<rows {
            let along = (0..<n).reduce(Float(0)) { $0 + dw[o * n + $1] * w[o * n + $1] }
            #expect(abs(along) < 1e-4, "row \(o): dW·W = \(along)")
        }
    }

    @Test("a network with a normalised classifier computes with Ŵ, learns its gain, and marks W scale-invariant")
    func inNetwork() throws {
        let spec = try NetworkSpec(parsing: "2x4x4:c3-a2-fcn4")
        let net = Network(spec: spec, seed: 3)
        let w = try #require(net.parameter("fc.weight")), gain = try #require(net.parameter("fc.gain"))
        #expect(w.scaleInvariant && !gain.scaleInvariant && gain.value.values == [1, 1, 1, 1])
        var frame = Tensor(shape: [1, 2, 4, 4])
        for i in 0..<frame.count { frame.data[i] = Float(i % 5) * 3 }
        net.reset(batchSize: 1, mode: .online, training: false)
        _ = net.step(frame)
        let before = net.step(frame).values
        // W scaled by 3: the same Ŵ, the same output.
        for i in 0..<w.value.count { w.value.data[i] *= 3 }
        net.parametersDidChange()
        net.reset(batchSize: 1, mode: .online, training: false)
        _ = net.step(frame)
        let after = net.step(frame).values
        for (a, b) in zip(before, after) { #expect(abs(a - b) < 1e-4 * (1 + abs(a))) }
        // A gradient reaches the gain and W.
        var δ = Tensor(shape: [1, 4]); δ.data[0] = 1; δ.data[2] = -1
        net.backwardStep(δ)
        net.collectGradients()
        #expect(gain.gradient.values.contains { $0 != 0 } && w.gradient.values.contains { $0 != 0 })
    }
}
