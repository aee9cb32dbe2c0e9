import Testing
import SNN
import Tensors

/// The plain convolution (`cpN`) against the weight-standardized one (`cN`): a plain layer whose W is an sWS layer's
/// Ŵ computes the same thing, and its weight gradient is that layer's dŴ (which the sWS tests check against finite
/// differences through the standardization, and the convolution tests through the convolution).
@Suite("Spiking convolution, plain and weight-standardized")
struct SpikingConvolutionTests {
    static let standardized = try! NetworkSpec(parsing: "2x8x8:c4-a2-c6-gap-fc3")
    static let plain = try! NetworkSpec(parsing: "2x8x8:cp4-a2-cp6-gap-fc3")

    /// An sWS network with random gains and biases, and the plain network whose W = the sWS network's Ŵ.
    static func pair(seed: UInt64) -> (standardized: Network, plain: Network) {
        let s = Network(spec: standardized, seed: seed), p = Network(spec: plain, seed: seed &+ 1)
        var g = SeededGenerator(seed: seed &+ 2)
        for q in s.parameters where q.name.hasSuffix(".gain") || q.name.hasSuffix(".bias") {
            for i in 0..<q.value.count { q.value.data[i] = q.name.hasSuffix(".gain") ? 0.5 + 2 * g.uniform() : 0.3 * g.normal() }
        }
        s.parametersDidChange()
        for q in p.parameters {
            let source = s.parameter(q.name)!
            guard q.name.hasPrefix("conv"), q.name.hasSuffix(".weight") else { q.value.assign(source.value); continue }
            let layer = q.name.dropLast(".weight".count), (co, n) = (q.value.shape[0], q.value.count / q.value.shape[0])
            WeightStandardization.forward(weight: source.value.data, gain: s.parameter("\(layer).gain")!.value.data,
                                          channels: co, fanIn: n, into: q.value.data)
        }
        p.parametersDidChange()
        return (s, p)
    }

    @Test("cpN parses, prints back, and has weight and bias but no gain")
    func words() throws {
        let text = "2x8x8:cp4-a2-c6-gap-fc3"
        let spec = try NetworkSpec(parsing: text)
        #expect(spec.description == text)
        #expect(spec.layers.first == .conv(channels: 4, standardized: false) && spec.layers[2] == .conv(channels: 6))
        let net = Network(spec: spec, seed: 1)
        #expect(net.parameters.map(\.name) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv2.gain",
                                               "fc.weight", "fc.bias"])
        #expect { _ = try NetworkSpec(parsing: "2x8x8:cp-fc3") } throws: { "\($0)".contains("unknown layer 'cp'") }
    }

    @Test("a plain layer with W = Ŵ steps as the sWS layer, and its dW is the sWS layer's dŴ (OTTT and BPTT)",
          arguments: [GradientMode.online, .throughTime])
    func matchesStandardized(_ mode: GradientMode) {
        let (s, p) = Self.pair(seed: 3)
        let frames = NetworkTests.frames(4, batch: 2, seed: 4)
        let upstream = Tensor(shape: [2, 3], values: [0.3, -1, 0.5, 2, 0.1, -0.7])
        var spikes = 0
        for net in [s, p] {
            net.reset(batchSize: 2, mode: mode, training: false)
            net.zeroGradients()
        }
        for f in frames {
            let (a, b) = (s.step(f).values, p.step(f).values)
            #expect(a == b)
            spikes += s.neuronOutputs.reduce(0) { $0 + $1.spikes.values.filter { $0 != 0 }.count }
            if mode == .online { s.backwardStep(upstream); p.backwardStep(upstream) }
        }
        #expect(spikes > 0, "the input makes spikes")
        if mode == .throughTime {
            let gradients = [Tensor](repeating: upstream, count: frames.count)
            s.backwardThroughTime(gradients); p.backwardThroughTime(gradients)
        }
        s.collectGradients(); p.collectGradients()
        for name in ["conv1.bias", "conv2.bias", "fc.weight", "fc.bias"] {
            #expect(s.parameter(name)!.gradient.values == p.parameter(name)!.gradient.values, "\(name)")
        }
        // dŴ (the plain layer's dW) through the standardization's backward gives the sWS layer's dW and dgain.
        for layer in ["conv1", "conv2"] {
            let w = s.parameter("\(layer).weight")!.value, gain = s.parameter("\(layer).gain")!
            let (co, n) = (w.shape[0], w.count / w.shape[0])
            let dWHat = p.parameter("\(layer).weight")!.gradient
            #expect(dWHat.values.contains { $0 != 0 }, "\(layer) learns")
            let dW = Tensor(shape: w.shape), dg = Tensor(shape: gain.value.shape)
            WeightStandardization.backward(weight: w.data, gain: gain.value.data, channels: co, fanIn: n,
                                           standardizedGradient: dWHat.data, weightGradient: dW.data, gainGradient: dg.data)
            #expect(dW.values == s.parameter("\(layer).weight")!.gradient.values, "\(layer).weight")
            #expect(dg.values == gain.gradient.values, "\(layer).gain")
        }
    }

    @Test("an update reaches a plain layer's output (Ŵᵀ is made again from W)")
    func update() {
        let net = Network(spec: Self.plain, seed: 5)
        let frame = NetworkTests.frames(1, batch: 1, seed: 6)[0]
        func fired(weight: Float) -> Int {
            net.updateParameters { params in params.first { $0.name == "conv1.weight" }!.value.fill(weight) }
            net.resetState()
            net.step(frame)
            return net.neuronOutputs[0].spikes.values.filter { $0 != 0 }.count
        }
        #expect(fired(weight: 1) > 200)
        #expect(fired(weight: 0) == 0)
        #expect(fired(weight: 1) > 200)
    }
}
