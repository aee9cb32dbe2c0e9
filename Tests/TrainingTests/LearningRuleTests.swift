import Testing
import SNN
import Tensors
@testable import Training

@Suite("Learning rules: OTTT_A, OTTT_O, BPTT")
struct LearningRuleTests {
    static let spec = try! NetworkSpec(parsing: "2x8x8:c6-a2-c8-gap-fc4")

    static func batch(_ t: Int, seed: UInt64) -> [Tensor] {
        var g = SeededGenerator(seed: seed)
        return (0..<t).map { _ in
            let f = Tensor(shape: [3, 2, 8, 8])
            for i in 0..<f.count { f.data[i] = g.uniform() < 0.4 ? 2 : 0 }
            return f
        }
    }

    static func gradients(_ rule: inout some LearningRule, frames: [Tensor], neuron: LIF = LIF()) -> [String: [Float]] {
        var spec = spec
        spec.neuron = neuron
        let net = Network(spec: spec, seed: 11)
        let probe = GradientProbe()
        _ = rule.train(net, frames: frames, labels: [0, 3, 1], optimizer: probe)
        return Dictionary(uniqueKeysWithValues: probe.gradients.map { ($0.name, $0.values) })
    }

    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) } && a.count == b.count
    }

    @Test("with T = 1, OTTT_A's gradients equal BPTT's")
    func oneStep() {
        let frames = Self.batch(1, seed: 1)
        var a = OTTTA(), b = BPTT()
        let ga = Self.gradients(&a, frames: frames), gb = Self.gradients(&b, frames: frames)
        #expect(ga.values.contains { $0.contains { $0 != 0 } })
        for (name, g) in ga { #expect(Self.close(g, gb[name]!), "\(name)") }
    }

    /// The last convolution's only path through time is its own potential, and Σ_t' λ^(t'−t) s_in[t] is the
    /// trace: so its weight (and gain) gradients agree. Its bias has no trace (OTTT uses 1, BPTT in effect Σ λᵏ).
    @Test("for T > 1 they differ, except on the last convolution's weights and the classifier's bias (any τ, IF too)",
          arguments: [LIF(), LIF(tau: 4), LIF.integrateAndFire])
    func lastLayer(_ neuron: LIF) {
        let frames = Self.batch(5, seed: 2)
        var a = OTTTA(), b = BPTT()
        let ga = Self.gradients(&a, frames: frames, neuron: neuron), gb = Self.gradients(&b, frames: frames, neuron: neuron)
        for name in ["conv2.weight", "conv2.gain", "fc.bias"] { #expect(Self.close(ga[name]!, gb[name]!), "\(name)") }
        for name in ["conv1.weight", "conv2.bias", "fc.weight"] { #expect(!Self.close(ga[name]!, gb[name]!), "\(name)") }
    }

    @Test("OTTT_O updates after every step; with T = 1 it is OTTT_A")
    func online() {
        let frames = Self.batch(3, seed: 3)
        let n1 = Network(spec: Self.spec, seed: 5), n2 = Network(spec: Self.spec, seed: 5)
        var o = OTTTO(), a = OTTTA()
        _ = o.train(n1, frames: Array(frames.prefix(1)), labels: [1, 2, 3], optimizer: SGD(learningRate: 0.1))
        _ = a.train(n2, frames: Array(frames.prefix(1)), labels: [1, 2, 3], optimizer: SGD(learningRate: 0.1))
        for (p, q) in zip(n1.parameters, n2.parameters) { #expect(p.value.values == q.value.values, "\(p.name)") }
        // Over 3 steps the outputs of OTTT_O change within the sequence, OTTT_A's do not.
        var seenO: [[Float]] = [], seenA: [[Float]] = []
        let m1 = Network(spec: Self.spec, seed: 5), m2 = Network(spec: Self.spec, seed: 5)
        _ = o.train(m1, frames: frames, labels: [1, 2, 3], optimizer: SGD(learningRate: 0.5)) { _, out in seenO.append(out.values) }
        _ = a.train(m2, frames: frames, labels: [1, 2, 3], optimizer: SGD(learningRate: 0.5)) { _, out in seenA.append(out.values) }
        #expect(seenO[0] == seenA[0] && seenO[2] != seenA[2])
    }

    @Test("training on a learnable toy task lowers the loss (sWS and plain convolution)",
          arguments: LearningRuleKind.allCases, ["1x4x4:c4-gap-fc2", "1x4x4:cp4-gap-fc2"])
    func learns(_ kind: LearningRuleKind, _ words: String) throws {
        // Class 0: events in the left half; class 1: in the right half.
        let net = Network(spec: try NetworkSpec(parsing: words), seed: 3)
        var g = SeededGenerator(seed: 4)
        let labels = [0, 1, 0, 1]
        let frames = (0..<4).map { _ in
            let f = Tensor(shape: [4, 1, 4, 4])
            for s in 0..<4 { for y in 0..<4 { for x in 0..<4 where (x < 2) == (labels[s] == 0) && g.uniform() < 0.7 { f.data[s * 16 + y * 4 + x] = 1 } } }
            return f
        }
        var rule = kind.make()
        let sgd = SGD(learningRate: 0.5)
        let first = rule.train(net, frames: frames, labels: labels, optimizer: sgd).loss
        var last = first
        for _ in 0..<30 { last = rule.train(net, frames: frames, labels: labels, optimizer: sgd).loss }
        #expect(last < 0.5 * first, "\(kind) \(words): loss \(first) → \(last)")
        #expect(evaluate(net, frames: frames, labels: labels).correct == 4)
    }
}
