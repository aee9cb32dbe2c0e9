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

    /// Runs `lif` on a constant input and returns the charged potentials and spikes.
    static func run(_ lif: LIF, current: Float, steps: Int) -> (potentials: [Float], spikes: [Float]) {
        var u: [Float] = [0], s: [Float] = [0], charged: [Float] = [0]
        var spikes: [Float] = [], potentials: [Float] = []
        for _ in 0..<steps {
            lif.step(current: [current], membrane: &u, spikes: &s, charged: &charged, count: 1)
            spikes.append(s[0]); potentials.append(charged[0])
        }
        return (potentials, spikes)
    }

    @Test("τ is a parameter: the step follows u[t] = (1 − 1/τ) u[t−1] + I[t] with soft reset", arguments: [1.5, 2, 4, 10] as [Float])
    func tau(_ tau: Float) {
        let (potentials, spikes) = Self.run(LIF(tau: tau), current: 0.45, steps: 12)
        var u: Double = 0
        for t in 0..<12 {
            u = (1 - 1 / Double(tau)) * u + 0.45              // the definition, in Double
            let s: Double = u >= 1 ? 1 : 0
            #expect(abs(Double(potentials[t]) - u) < 1e-5, "t \(t)")
            #expect(Double(spikes[t]) == s, "t \(t)")
            u -= s
        }
    }

    @Test("the IF neuron (OnlineIFNode) integrates without leak: u[t] = u[t−1] + I[t], soft reset")
    func integrateAndFire() {
        let lif = LIF.integrateAndFire
        #expect(lif.decay == 1 && lif.isIntegrateAndFire && !LIF().isIntegrateAndFire)
        // I = 0.3: u = 0.3, 0.6, 0.9, 1.2→fire→0.2, 0.5, 0.8, 1.1→fire→0.1, 0.4
        let (potentials, spikes) = Self.run(lif, current: 0.3, steps: 9)
        #expect(spikes == [0, 0, 0, 1, 0, 0, 1, 0, 0])
        let expected: [Float] = [0.3, 0.6, 0.9, 1.2, 0.5, 0.8, 1.1, 0.4, 0.7]
        #expect(zip(potentials, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(potentials)")
        // The vectorised path (8 lanes) agrees with the scalar tail.
        var u = [Float](repeating: 0, count: 11), s = u, charged = u
        let current = (0..<11).map { Float($0) * 0.1 }
        for _ in 0..<3 { lif.step(current: current, membrane: &u, spikes: &s, charged: &charged, count: 11) }
        for i in 0..<11 {
            var v: Float = 0, fired: Float = 0
            for _ in 0..<3 { v += current[i]; fired = v >= 1 ? 1 : 0; v -= fired }
            #expect(abs(u[i] - v) < 1e-5 && s[i] == fired, "neuron \(i)")
        }
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
