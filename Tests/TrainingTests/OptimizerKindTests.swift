import Foundation
import Testing
import TestSupport
import SNN
import Tensors
import Training

@Suite("Optimizer registry")
struct OptimizerKindTests {
    /// A network with every gradient set to a value that depends on the step, so that moments differ per step.
    static func setGradients(_ net: Network, step: Int) {
        for (k, p) in net.parameters.enumerated() {
            for i in 0..<p.gradient.count { p.gradient.data[i] = Float((i + 3 * k + 7 * step) % 5) - 2.1 }
        }
    }

    @Test("the settings in a checkpoint's words read back to the same settings", arguments: [
        OptimizerSettings(kind: .sgd, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4),
        OptimizerSettings(kind: .adam, learningRate: 0.0003, weightDecay: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6),
        // A session's optimizer records its scale-invariant weights' own rate, so that a model continues them at it.
        OptimizerSettings(kind: .adam, learningRate: 0.0003, beta2: 0.99, standardizedRate: 0.001),
    ])
    func wordsRoundTrip(settings: OptimizerSettings) throws {
        let optimizer = settings.make()
        #expect(optimizer.settings == settings && optimizer.standardizedRate == settings.standardizedRate)
        #expect(optimizer.configuration.contains("ws_lr") == (settings.standardizedRate != nil))
        #expect(try OptimizerSettings(parsing: optimizer.configuration, file: "x") == settings)
        #expect(OptimizerKind.allCases.map { $0.make(learningRate: 0.1).settings.kind } == [.sgd, .adam])
    }

    @Test("unknown or malformed optimizer words are errors that name the file", arguments: [
        "lbfgs lr=0.1", "sgd momentum=0.9", "adam lr=fast", "sgd lr=nan", "",
    ])
    func badWords(text: String) {
        #expect {
            try OptimizerSettings(parsing: text, file: "run.safetensors")
        } throws: { error in
            "\(error)".contains("run.safetensors") && "\(error)".contains("optimizer")
        }
    }

    @Test("an Adam checkpoint continues as Adam with its moments: a step after reloading equals one without, bit for bit")
    func adamContinues() throws {
        let spec = try NetworkSpec(parsing: "1x2x2:gap-fc3")
        let net = Network(spec: spec, seed: 4)
        let adam = Adam(learningRate: 0.01, beta2: 0.99, weightDecay: 0.001)
        for step in 0..<3 { Self.setGradients(net, step: step); adam.step(net) }
        let path = try SharedMaterial.temporaryDirectory().appendingPathComponent("adam.safetensors").path
        try Checkpoint.save(to: path, network: net, optimizer: adam)

        let saved = try Checkpoint.load(from: path)
        let restored = try saved.restoreOptimizer(fallback: OptimizerSettings(kind: .sgd, learningRate: 1))
        let again = try #require(restored as? Adam)
        #expect(again.steps == 3 && again.settings == adam.settings)
        for (a, b) in zip(adam.state, again.state) {
            #expect(a.name == b.name)
            #expect(a.tensor.values.map(\.bitPattern) == b.tensor.values.map(\.bitPattern), "\(a.name)")
        }
        Self.setGradients(net, step: 3); adam.step(net)
        Self.setGradients(saved.network, step: 3); again.step(saved.network)
        for (p, q) in zip(net.parameters, saved.network.parameters) {
            #expect(p.value.values.map(\.bitPattern) == q.value.values.map(\.bitPattern), "\(p.name)")
        }
    }

    @Test("given values override the saved ones; another kind starts without state; no saved optimizer takes the fallback")
    func overrides() throws {
        let net = Network(spec: try NetworkSpec(parsing: "1x2x2:gap-fc2"), seed: 1)
        let sgd = SGD(learningRate: 0.1, momentum: 0.5)
        Self.setGradients(net, step: 0); sgd.step(net)
        let dir = try SharedMaterial.temporaryDirectory()
        let path = dir.appendingPathComponent("sgd.safetensors").path
        try Checkpoint.save(to: path, network: net, optimizer: sgd)
        let saved = try Checkpoint.load(from: path)
        let fallback = OptimizerSettings(kind: .adam, learningRate: 1)
        let same = try saved.restoreOptimizer(learningRate: 0.2, fallback: fallback)
        #expect(same.settings == OptimizerSettings(kind: .sgd, learningRate: 0.2, momentum: 0.5))
        #expect(same.state.count == sgd.state.count)
        let other = try saved.restoreOptimizer(kind: .adam, fallback: fallback)
        #expect(other is Adam && other.state.map(\.name) == ["steps"])

        let bare = dir.appendingPathComponent("bare.safetensors").path
        try Checkpoint.save(to: bare, network: net, optimizer: nil)
        #expect(try Checkpoint.load(from: bare).restoreOptimizer(fallback: fallback).settings == fallback)
    }
}
