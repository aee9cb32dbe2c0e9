import Foundation
import Testing
import SNN

@Suite("LIF neuron")
struct LIFTests {
    @Test("a constant input charges, fires and soft-resets on the hand-computed trajectory")
    func trajectory() {
        // λ = 0.5, θ = 1, I = 0.6: u = 0.6, 0.9, 1.05→fire→0.05, 0.625, 0.9125, 1.05625→fire→0.05625
        let lif = LIF()
        var u: [Float] = [0], s: [Float] = [0], charged: [Float] = [0]
        var spikes: [Float] = [], potentials: [Float] = []
        let current: [Float] = [0.6]
        for _ in 0..<6 {
            lif.step(current: current, membrane: &u, spikes: &s, charged: &charged, count: 1)
            spikes.append(s[0]); potentials.append(charged[0])
        }
        #expect(spikes == [0, 0, 1, 0, 0, 1])
        let expected: [Float] = [0.6, 0.9, 1.05, 0.625, 0.9125, 1.05625]
        #expect(zip(potentials, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(abs(u[0] - 0.05625) < 1e-6)
    }

    @Test("exactly at threshold fires (H(0) = 1)")
    func threshold() {
        var u: [Float] = [0], s: [Float] = [0]
        LIF().step(current: [1], membrane: &u, spikes: &s, charged: nil, count: 1)
        #expect(s == [1] && u == [0])
    }

    @Test("the surrogate is the derivative of σ(α(u − θ)) (finite differences)", arguments: [-1.0, 0.3, 1.0, 1.4, 3.0] as [Float])
    func surrogate(_ u: Float) {
        let lif = LIF()
        func sigma(_ v: Double) -> Double { 1 / (1 + exp(-Double(lif.alpha) * (v - Double(lif.threshold)))) }
        let e = 1e-4
        let numeric = (sigma(Double(u) + e) - sigma(Double(u) - e)) / (2 * e)
        #expect(abs(Double(lif.surrogate(u)) - numeric) < 1e-5)
        #expect(abs(lif.surrogate(1) - 1) < 1e-6)   // α/4 at the threshold
    }
}


@Suite("LIF reset")
struct LIFResetTests {
    /// 11 neurons (an 8-wide vector and 3 scalar ones), potential 0.5 before the step, input 0.9: λu + I = 1.15 ≥ 1
    /// fires everywhere; subtraction leaves 0.15, reset to zero leaves 0. An input of 0.2 (0.45) fires nowhere.
    @Test("subtract leaves v − θ, zero leaves 0; a neuron that does not fire keeps its potential", arguments: LIF.Reset.allCases)
    func reset(_ reset: LIF.Reset) {
        let neuron = LIF(tau: 2, threshold: 1, reset: reset)
        for (input, fires) in [(Float(0.9), true), (0.2, false)] {
            var u = [Float](repeating: 0.5, count: 11), s = [Float](repeating: 0, count: 11)
            let current = [Float](repeating: input, count: 11)
            neuron.step(current: current, membrane: &u, spikes: &s, charged: nil, count: 11)
            let charged = 0.25 + input
            let expected: Float = fires ? (reset == .zero ? 0 : charged - 1) : charged
            #expect(s == [Float](repeating: fires ? 1 : 0, count: 11))
            #expect(u.allSatisfy { abs($0 - expected) < 1e-6 }, "\(u) for \(expected)")
        }
    }
}
