import Testing
import Benchmarks
import SNN
import Tensors
import Training

@Suite("OTTT_A against BPTT gradients")
struct GradientAgreementTests {
    static func batch(_ t: Int, seed: UInt64) -> [Tensor] {
        var g = SeededGenerator(seed: seed)
        return (0..<t).map { _ in
            let f = Tensor(shape: [3, 2, 8, 8])
            for i in 0..<f.count { f.data[i] = g.uniform() < 0.4 ? 2 : 0 }
            return f
        }
    }

    @Test("cosine and sign agreement follow their definitions")
    func definitions() {
        #expect(abs(GradientAgreement.cosine([1, 0], [0, 1])) < 1e-12)
        #expect(abs(GradientAgreement.cosine([1, 2, 3], [2, 4, 6]) - 1) < 1e-12)
        #expect(abs(GradientAgreement.cosine([1, 1], [1, 0]) - 0.5.squareRoot()) < 1e-12)
        #expect(GradientAgreement.cosine([0, 0], [1, 2]) == 0)
        #expect(GradientAgreement.signAgreement([1, -1, 0, 2], [3, 1, 0, 0]) == 1.0 / 3)   // the 0/0 entry is not counted
        #expect(GradientAgreement.signAgreement([0], [0]) == 1)
    }

    @Test("with T = 1 the two gradients are equal: cosine 1 and full sign agreement in every layer")
    func oneStep() throws {
        let net = Network(spec: try NetworkSpec(parsing: "2x8x8:c6-a2-c8-gap-fc4"), seed: 11)
        let layers = GradientAgreement.measure(net, frames: Self.batch(1, seed: 1), labels: [0, 3, 1])
        #expect(layers.map(\.name) == ["conv1", "conv2", "fc", "all"])
        for l in layers { #expect(abs(l.cosine - 1) < 1e-4 && l.signAgreement > 0.99, "\(l)") }
    }

    @Test("for T > 1 they differ but stay close (positive cosine), and the network is left as it was")
    func manySteps() throws {
        let net = Network(spec: try NetworkSpec(parsing: "2x8x8:c6-a2-c8-gap-fc4", dropout: 0.2), seed: 11)
        let before = net.parameters.map(\.value.values)
        let layers = GradientAgreement.measure(net, frames: Self.batch(6, seed: 2), labels: [0, 3, 1])
        #expect(layers.contains { abs($0.cosine - 1) > 1e-4 })
        #expect(layers.allSatisfy { $0.cosine > 0 })
        #expect(net.parameters.map(\.value.values) == before)
    }

    @Test("a run measures at initialisation and after every epoch")
    func run() throws {
        let config = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 3, batch: 8, epochs: 2, learningRate: 0.1)
        let train = SyntheticSamples(count: 32, classes: 4, steps: 3, frameShape: [2, 8, 8], seed: 1)
        let points = try GradientAgreement.run(config: config, train: train, test: nil, probe: train, probeSize: 8)
        #expect(points.map(\.epoch) == [0, 1, 2])
        #expect(points.allSatisfy { $0.layers.count == 3 })
    }
}
