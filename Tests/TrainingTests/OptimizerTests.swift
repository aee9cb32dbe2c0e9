import Foundation
import Testing
import SNN
import Tensors
import Training

@Suite("Optimizers and schedule")
struct OptimizerTests {
    /// A network whose gradients are set by hand: every gradient element is `g`.
    static func network(gradient g: Float) -> Network {
        let net = Network(spec: try! NetworkSpec(parsing: "1x2x2:gap-fc2"), seed: 1)
        for p in net.parameters { p.value.fill(1); p.gradient.fill(g) }
        return net
    }

    @Test("SGD with momentum and weight decay follows PyTorch's update")
    func sgd() {
        let net = Self.network(gradient: 0.5)
        let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        sgd.step(net)
        // b = g + wd·p = 0.51; p = 1 − 0.1·0.51 = 0.949
        #expect(abs(net.parameter("fc.bias")!.value[0] - 0.949) < 1e-6)
        #expect(net.parameter("fc.bias")!.gradient[0] == 0)
        net.parameter("fc.bias")!.gradient.fill(0.5)
        sgd.step(net)
        // b = 0.9·0.51 + 0.5 + 0.01·0.949 = 0.96849; p = 0.949 − 0.096849
        #expect(abs(net.parameter("fc.bias")!.value[0] - (0.949 - 0.096849)) < 1e-6)
    }

    @Test("Adam's first step moves every parameter by about lr against the gradient's sign")
    func adam() {
        let net = Self.network(gradient: -3)
        let adam = Adam(learningRate: 0.01)
        adam.step(net)
        #expect(abs(net.parameter("fc.weight")!.value[0] - 1.01) < 1e-5)
        #expect(adam.steps == 1)
        #expect(adam.state.map(\.name).contains("m.fc.weight"))
    }

    @Test("a standardised rate moves only the scale-invariant weights by its own rate, with SGD and with Adam")
    func standardizedRate() throws {
        let spec = try NetworkSpec(parsing: "2x4x4:c4-fc3")
        for make in [{ SGD(learningRate: 0.1, momentum: 0) as any Optimizer }, { Adam(learningRate: 0.1) }] {
            func step(_ rate: Float?) -> [String: [Float]] {
                let net = Network(spec: spec, seed: 1)
                for p in net.parameters { p.gradient.fill(0.5) }
                let before = Dictionary(uniqueKeysWithValues: net.parameters.map { ($0.name, $0.value.values) })
                let o = make()
                o.standardizedRate = rate
                o.step(net)
                return Dictionary(uniqueKeysWithValues: net.parameters.map { p in
                    (p.name, zip(p.value.values, before[p.name]!).map { $0 - $1 })
                })
            }
            let same = step(nil), slower = step(0.01)
            #expect(Network(spec: spec, seed: 1).parameters.filter(\.scaleInvariant).map(\.name) == ["conv1.weight"])
            #expect(!Network(spec: try NetworkSpec(parsing: "2x4x4:cp4-fc3"), seed: 1).parameters.contains(where: \.scaleInvariant))
            for (name, moved) in same {
                let ratio: Float = name == "conv1.weight" ? 0.1 : 1
                for (a, b) in zip(slower[name]!, moved) {
                    #expect(abs(a - ratio * b) <= 1e-6 + abs(b) * 1e-4, "\(name): \(a) against \(ratio) × \(b)")
                }
                #expect(moved.contains { $0 != 0 }, "\(name) did not move")
            }
        }
    }

    @Test("cosine annealing goes from lr₀ to 0 through lr₀/2")
    func cosine() {
        let s = CosineSchedule(baseLearningRate: 0.1, epochs: 300)
        #expect(s.learningRate(epoch: 0) == 0.1)
        #expect(abs(s.learningRate(epoch: 150) - 0.05) < 1e-6)
        #expect(s.learningRate(epoch: 300) < 1e-8)
    }
}
