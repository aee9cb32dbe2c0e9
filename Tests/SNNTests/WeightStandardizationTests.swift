import Testing
import SNN
import Tensors

@Suite("Scaled weight standardization")
struct WeightStandardizationTests {
    @Test("each output channel has mean 0 and n·var ≈ g² after standardization")
    func forward() {
        let (co, n) = (3, 18)
        let w = FiniteDifferences.values(co * n, seed: 1), g: [Float] = [1, 2, 0.5]
        var out = [Float](repeating: 0, count: co * n)
        WeightStandardization.forward(weight: w, gain: g, channels: co, fanIn: n, into: &out)
        for o in 0..<co {
            let row = out[(o * n)..<((o + 1) * n)]
            let mean = row.reduce(0, +) / Float(n)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(n - 1)
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance * Float(n) - g[o] * g[o]) < 1e-2 * g[o] * g[o])
        }
    }

    @Test("the transposed layout holds the same values, Ŵᵀ[i, o] = Ŵ[o, i] (small, and large enough for both cores)",
          arguments: [(3, 18), (40, 4608)])
    func transposed(_ co: Int, _ n: Int) {
        let w = FiniteDifferences.values(co * n, seed: 4), g = (0..<co).map { 0.5 + Float($0 % 3) * 0.75 }
        var out = [Float](repeating: 0, count: co * n), outT = out
        WeightStandardization.forward(weight: w, gain: g, channels: co, fanIn: n, into: &out)
        WeightStandardization.forward(weight: w, gain: g, channels: co, fanIn: n, into: &outT, transposed: true)
        for o in 0..<co { for i in 0..<n { #expect(outT[i * co + o] == out[o * n + i]) } }
    }

    @Test("the backward pass of a layer large enough for both cores equals it one channel at a time")
    func backwardSplit() {
        let (co, n) = (40, 4608)
        let w = FiniteDifferences.values(co * n, seed: 6), g = (0..<co).map { 0.5 + Float($0 % 3) * 0.75 }
        let upstream = FiniteDifferences.values(co * n, seed: 7)
        var dw = [Float](repeating: 0, count: co * n), dg = [Float](repeating: 0, count: co)
        WeightStandardization.backward(weight: w, gain: g, channels: co, fanIn: n, standardizedGradient: upstream,
                                       weightGradient: &dw, gainGradient: &dg)
        for o in 0..<co {
            var dwOne = [Float](repeating: 0, count: n), dgOne: [Float] = [0]
            WeightStandardization.backward(weight: Array(w[o * n..<(o + 1) * n]), gain: [g[o]], channels: 1, fanIn: n,
                                           standardizedGradient: Array(upstream[o * n..<(o + 1) * n]),
                                           weightGradient: &dwOne, gainGradient: &dgOne)
            #expect(Array(dw[o * n..<(o + 1) * n]) == dwOne && dg[o] == dgOne[0], "channel \(o)")
        }
    }

    @Test("the backward pass equals finite differences in W and gain")
    func backward() {
        let (co, n) = (2, 9)
        FiniteDifferences.check(rows: co, fanIn: n, gains: [1.3, 0.7], forward: { w, g, out in
            WeightStandardization.forward(weight: w, gain: g, channels: co, fanIn: n, into: &out)
        }, backward: { w, g, upstream, dw, dg in
            WeightStandardization.backward(weight: w, gain: g, channels: co, fanIn: n, standardizedGradient: upstream,
                                           weightGradient: &dw, gainGradient: &dg)
        })
    }
}
