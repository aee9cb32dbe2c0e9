import Testing
import SNN
import Tensors

@Suite("Network stepping")
struct NetworkTests {
    static let spec = try! NetworkSpec(parsing: "2x8x8:c4-a2-c6-gap-fc3")

    static func frames(_ t: Int, batch: Int, seed: UInt64) -> [Tensor] {
        var g = SeededGenerator(seed: seed)
        return (0..<t).map { _ in
            let f = Tensor(shape: [batch, 2, 8, 8])
            for i in 0..<f.count { f.data[i] = g.uniform() < 0.3 ? 1.5 : 0 }
            return f
        }
    }

    @Test("parameters are named as in PyTorch and initialised as in OTTT")
    func parameters() {
        let net = Network(spec: Self.spec, seed: 3)
        #expect(net.parameters.map(\.name) == ["conv1.weight", "conv1.bias", "conv1.gain", "conv2.weight", "conv2.bias",
                                               "conv2.gain", "fc.weight", "fc.bias"])
        #expect(net.parameter("conv1.gain")!.value.values.allSatisfy { $0 == 1 })
        #expect(net.parameter("conv2.bias")!.value.values.allSatisfy { $0 == 0 })
        #expect(net.parameter("conv2.gain")!.value.shape == [6, 1, 1, 1])
    }

    @Test("a batch steps as its samples do alone, and reset restarts the sequence")
    func batchIndependence() {
        let net = Network(spec: Self.spec, seed: 1)
        let frames = Self.frames(4, batch: 2, seed: 5)
        net.reset(batchSize: 2, mode: .online, training: false)
        let together = frames.map { net.step($0).values }
        for s in 0..<2 {
            net.reset(batchSize: 1, mode: .none, training: false)
            for (t, f) in frames.enumerated() {
                let one = Tensor(shape: [1, 2, 8, 8])
                one.data.update(from: f.data + s * 128, count: 128)
                let out = net.step(one).values
                #expect(zip(out, together[t][(s * 3)..<(s * 3 + 3)]).allSatisfy { abs($0 - $1) < 1e-5 })
            }
        }
        net.reset(batchSize: 2, mode: .online, training: false)
        #expect(net.step(frames[0]).values == together[0])
    }

    @Test("traces follow â ← λâ + s on the scaled spikes (λ = 1 − 1/τ; the IF neuron's traces sum)",
          arguments: [LIF(), LIF(tau: 4), LIF.integrateAndFire])
    func traces(_ neuron: LIF) {
        var spec = Self.spec
        spec.neuron = neuron
        let net = Network(spec: spec, seed: 2)
        net.reset(batchSize: 1, mode: .online, training: false)
        var previous: [Float]? = nil
        for f in Self.frames(5, batch: 1, seed: 9) {
            net.step(f)
            let out = net.neuronOutputs[0]
            let s = out.spikes.values, a = out.traces!.values
            #expect(s.allSatisfy { $0 == 0 || $0 == 2.74 })
            let expected = zip(previous ?? [Float](repeating: 0, count: s.count), s).map { neuron.decay * $0 + $1 }
            #expect(zip(a, expected).allSatisfy { abs($0 - $1) < 1e-6 })
            previous = a
        }
    }

    @Test("the classifier's gradient equals finite differences (T = 1: trace = spikes, output linear in fc)")
    func classifierGradient() {
        let net = Network(spec: Self.spec, seed: 4)
        let frame = Self.frames(1, batch: 2, seed: 6)[0]
        let upstream = Tensor(shape: [2, 3], values: [0.3, -1, 0.5, 2, 0.1, -0.7])
        func objective() -> Double {
            net.parametersDidChange()
            net.reset(batchSize: 2, mode: .online, training: false)
            return zip(net.step(frame).values, upstream.values).reduce(0) { $0 + Double($1.0 * $1.1) }
        }
        _ = objective()
        net.zeroGradients()
        net.backwardStep(upstream)
        net.collectGradients()
        for name in ["fc.weight", "fc.bias"] {
            let p = net.parameter(name)!
            let analytic = p.gradient.values
            for i in stride(from: 0, to: p.value.count, by: 3) {
                let v = p.value[i]
                p.value[i] = v + 1e-2; let plus = objective()
                p.value[i] = v - 1e-2; let minus = objective()
                p.value[i] = v
                #expect(abs(Float((plus - minus) / 2e-2) - analytic[i]) < 1e-3, "\(name)[\(i)]")
            }
        }
    }

    @Test("dropout draws one mask per sample at t = 0, scaled by 1/(1−p), and is off in evaluation")
    func dropout() throws {
        let spec = try NetworkSpec(parsing: "1x4x4:c8-gap-fc2", dropout: 0.5)
        let net = Network(spec: spec, seed: 1)
        // A large bias makes every neuron fire at every step; the mask then shows directly in the spikes.
        net.parameter("conv1.bias")!.value.fill(5)
        net.parametersDidChange()
        net.reset(batchSize: 2, mode: .online, training: true)
        let frame = Tensor(shape: [2, 1, 4, 4])
        net.step(frame)
        let first = net.neuronOutputs[0].spikes.values
        #expect(first.allSatisfy { $0 == 0 || abs($0 - 2 * 2.74) < 1e-5 })
        #expect(first.contains(0) && first.contains { $0 > 0 })
        net.step(frame)
        #expect(net.neuronOutputs[0].spikes.values == first)
        net.reset(batchSize: 2, mode: .none, training: false)
        net.step(frame)
        #expect(net.neuronOutputs[0].spikes.values.allSatisfy { abs($0 - 2.74) < 1e-5 })
    }
}
