import Testing
import SNN
import Tensors

/// What data-parallel training needs from a network: final gradients reported layer by layer, and dropout masks
/// that belong to samples rather than to batch slots.
@Suite("network hooks for data parallelism")
struct NetworkDataParallelTests {
    static let spec = NetworkSpec(input: [2, 6, 6], layers: [.conv(channels: 4), .averagePool2, .conv(channels: 4),
                                                               .globalAveragePool, .linear(outputs: 3)], dropout: 0.3)

    static func frames(batch: Int, seed: UInt64) -> [Tensor] {
        var g = SeededGenerator(seed: seed)
        return (0..<3).map { _ in Tensor(shape: [batch, 2, 6, 6], values: (0..<batch * 72).map { _ in g.uniform() < 0.4 ? 1 : 0 }) }
    }

    @Test("the last backward reports every layer's completed gradients once, last layer first")
    func gradientsFinal() {
        let hooked = Network(spec: Self.spec, seed: 3), plain = Network(spec: Self.spec, seed: 3)
        var reported: [[String]] = []
        var snapshot: [String: [Float]] = [:]
        hooked.onGradientsFinal = { ps in
            reported.append(ps.map(\.name))
            for p in ps { snapshot[p.name] = Array(UnsafeBufferPointer(start: p.gradient.data, count: p.gradient.count)) }
        }
        let x = Self.frames(batch: 2, seed: 9)
        for net in [hooked, plain] {
            net.dropoutKeys = [11, 12]
            net.reset(batchSize: 2, mode: .online, training: true)
            for (t, frame) in x.enumerated() {
                let o = net.step(frame)
                net.backwardStep(o, completesGradients: t == x.count - 1)
            }
        }
        #expect(reported == [["fc.weight", "fc.bias"], ["conv2.weight", "conv2.bias", "conv2.gain"],
                             ["conv1.weight", "conv1.bias", "conv1.gain"]])
        plain.collectGradients()
        for p in plain.parameters {
            let mine = snapshot[p.name] ?? []
            let theirs = Array(UnsafeBufferPointer(start: p.gradient.data, count: p.gradient.count))
            #expect(mine == theirs, "\(p.name)")
        }
    }

    @Test("with dropout keys a sample's masks, and so its outputs, do not depend on its slot in the batch")
    func dropoutPerSample() {
        let net = Network(spec: Self.spec, seed: 5)
        let pair = Self.frames(batch: 2, seed: 1)
        let second = pair.map { f in
            let t = Tensor(shape: [1, 2, 6, 6])
            t.data.update(from: f.data + 72, count: 72)
            return t
        }
        /// Every spiking layer's output at every step, for batch slot `slot`.
        func outputs(_ frames: [Tensor], keys: [UInt64], slot: Int) -> [Float] {
            net.dropoutKeys = keys
            net.reset(batchSize: keys.count, mode: .online, training: true)
            var all: [Float] = []
            for f in frames {
                net.step(f)
                for layer in net.neuronOutputs {
                    let n = layer.spikes.count / keys.count
                    all += Array(UnsafeBufferPointer(start: layer.spikes.data + slot * n, count: n))
                }
            }
            return all
        }
        let both = outputs(pair, keys: [100, 200], slot: 1), alone = outputs(second, keys: [200], slot: 0)
        #expect(both.contains { $0 != 0 }, "some spikes")
        #expect(both.count == alone.count && zip(both, alone).allSatisfy { abs($0 - $1) <= 1e-5 })
        #expect(outputs(second, keys: [201], slot: 0) != alone, "another key draws other masks")
    }
}
