import Testing
import SNN
import Tensors
import Training

@Suite("Stream learner")
struct StreamLearnerTests {
    @Test("updating every T steps from a fresh state is OTTT_A on that window")
    func equalsOTTTA() {
        let spec = try! NetworkSpec(parsing: "2x6x6:c4-a2-c5-gap-fc3")
        let frames = LearningRuleTests.batch(4, seed: 8).map { f in
            let one = Tensor(shape: [1, 2, 6, 6])
            for i in 0..<one.count { one.data[i] = f.data[i] }
            return one
        }
        let a = Network(spec: spec, seed: 2), b = Network(spec: spec, seed: 2)
        var rule = OTTTA()
        _ = rule.train(a, frames: frames, labels: [2], optimizer: SGD(learningRate: 0.2))
        let learner = StreamLearner(network: b, optimizer: SGD(learningRate: 0.2), updateEvery: 4)
        let updates = frames.map { learner.step($0, label: 2).updated }
        #expect(updates == [false, false, false, true])
        for (p, q) in zip(a.parameters, b.parameters) {
            #expect(zip(p.value.values, q.value.values).allSatisfy { abs($0 - $1) < 1e-6 }, "\(p.name)")
        }
    }

    @Test("unlabelled steps predict without changing the weights")
    func predictOnly() {
        let net = Network(spec: try! NetworkSpec(parsing: "1x4x4:c2-gap-fc2"), seed: 1)
        let before = net.parameters.map { $0.value.values }
        let learner = StreamLearner(network: net, optimizer: SGD(learningRate: 1))
        let p = learner.step(Tensor(shape: [1, 1, 4, 4], values: [Float](repeating: 1, count: 16)), label: nil)
        #expect(p.loss == nil && !p.updated && p.confidence > 0 && p.confidence <= 1)
        #expect(net.parameters.map { $0.value.values } == before)
    }

    @Test("the paper preset holds the paper's training values")
    func preset() {
        let p = Preset.named("paper-cifar10dvs")!
        #expect(p.steps == 10 && p.batchSize == 128 && p.epochs == 300 && p.learningRate == 0.1 && p.momentum == 0.9)
        #expect(p.rule == .otttA && p.network.dropout == 0.1)
        #expect(Preset.named("small32")!.network.input == [2, 32, 32])
    }
}
