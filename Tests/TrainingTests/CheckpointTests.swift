import Foundation
import Testing
import TestSupport
import SNN
import Tensors
import Training

@Suite("Checkpoints")
struct CheckpointTests {
    static func trained() -> (Network, SGD) {
        let net = Network(spec: try! NetworkSpec(parsing: "2x4x4:cp3-a2-c4-gap-fc2", dropout: 0.2), seed: 9)
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        var rule = OTTTA()
        let frame = Tensor(shape: [2, 2, 4, 4], values: (0..<64).map { Float($0 % 3) })
        _ = rule.train(net, frames: [frame, frame], labels: [0, 1], optimizer: sgd)
        return (net, sgd)
    }

    @Test("weights (of a plain and an sWS convolution), optimizer state, stream state and metadata survive a round trip")
    func roundTrip() throws {
        let (net, sgd) = Self.trained()
        let path = try SharedMaterial.temporaryDirectory().appendingPathComponent("c.safetensors").path
        try Checkpoint.save(to: path, network: net, optimizer: sgd, includeState: true, metadata: ["preset": "test", "epoch": "3"])
        let back = try Checkpoint.load(from: path)
        #expect(back.network.spec == net.spec && back.network.spec.description == "2x4x4:cp3-a2-c4-gap-fc2")
        #expect(back.network.parameter("conv1.gain") == nil && back.network.parameter("conv2.gain") != nil)
        #expect(back.metadata["preset"] == "test" && back.metadata["epoch"] == "3")
        for (p, q) in zip(net.parameters, back.network.parameters) { #expect(p.value.values == q.value.values) }
        #expect(back.hasState && back.network.batchSize == 2)
        for (a, b) in zip(net.stateTensors, back.network.stateTensors) { #expect(a.tensor.values == b.tensor.values, "\(a.name)") }
        let restored = SGD(learningRate: 0.1, momentum: 0.9)
        try restored.restore(back.optimizerState, for: back.network)
        #expect(restored.state.map(\.name) == sgd.state.map(\.name))
        #expect(zip(restored.state, sgd.state).allSatisfy { $0.tensor.values == $1.tensor.values })
    }

    @Test("a file that is not a checkpoint, or lacks a parameter, is refused with a clear message")
    func errors() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        var plain = SafeTensors()
        plain.set("x", Tensor(shape: [1]))
        let p1 = dir.appendingPathComponent("plain.safetensors").path
        try plain.write(path: p1)
        #expect { _ = try Checkpoint.load(from: p1) } throws: { "\($0)".contains("not an ottt checkpoint") }

        let (net, _) = Self.trained()
        let p2 = dir.appendingPathComponent("ok.safetensors").path
        try Checkpoint.save(to: p2, network: net, optimizer: nil)
        var file = try SafeTensors.read(path: p2)
        file.entries["conv2.gain"] = nil
        try file.write(path: p2)
        #expect { _ = try Checkpoint.load(from: p2) } throws: { "\($0)".contains("lacks tensor 'conv2.gain'") }

        file.set("conv2.gain", Tensor(shape: [5, 1, 1, 1]))
        try file.write(path: p2)
        #expect { _ = try Checkpoint.load(from: p2) } throws: { "\($0)".contains("conv2.gain") && "\($0)".contains("expected [4, 1, 1, 1]") }

        let p3 = dir.appendingPathComponent("missing.safetensors").path
        #expect { _ = try Checkpoint.load(from: p3) } throws: { "\($0)".contains("cannot read") }
    }
}
