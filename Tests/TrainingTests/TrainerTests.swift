import Foundation
import Testing
import TestSupport
import SNN
import Tensors
@testable import Training

/// A network small enough for debug builds: 2×8×8 → conv 8 → pool → Linear to 4 classes, T = 4.
private let tiny = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 4, batch: 8, epochs: 3, learningRate: 0.1)

private func samples(_ count: Int, first: Int = 0) -> SyntheticSamples {
    SyntheticSamples(count: count, classes: 4, steps: 4, frameShape: [2, 8, 8], first: first, seed: 1)
}

@Suite("Trainer")
struct TrainerTests {
    @Test("synthetic data: test accuracy rises far above chance; progress is reported; checkpoints are written")
    func learns() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try Trainer(config: tiny, train: samples(128), test: samples(32, first: 128))
        trainer.checkpointDirectory = dir.path
        var reports: [TrainingProgress] = []
        trainer.onProgress = { reports.append($0) }
        let history = try trainer.run()
        #expect(history.count == 3 && trainer.history == history && trainer.isFinished)
        let last = try #require(history.last)
        #expect(try #require(last.testAccuracy) > 0.8, "chance is 0.25; got \(last)")
        #expect(last.trainLoss < history[0].trainLoss)
        #expect(history.map(\.learningRate)[0] == 0.1 && history[1].learningRate < 0.1)
        #expect(reports.filter { $0.phase == .training && $0.epoch == 1 }.last?.done == 128)
        #expect(reports.filter { $0.phase == .testing && $0.epoch == 3 }.last?.done == 32)
        for name in ["last.safetensors", "best.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path))
        }
        let saved = try Checkpoint.load(from: dir.appendingPathComponent("last.safetensors").path)
        #expect(try TrainingConfig.stored(in: saved) == tiny)
        #expect(EpochMetrics.decode(saved.metadata["history"]) == history)
    }

    @Test("resuming from the checkpoint of epoch 1 ends where an uninterrupted run ends", arguments: OptimizerKind.allCases)
    func resume(optimizer: OptimizerKind) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = tiny
        config.epochs = 2
        config.optimizer = optimizer
        if optimizer == .adam { config.learningRate = 0.003 }
        let straight = try Trainer(config: config, train: samples(64), test: samples(16, first: 64))
        try straight.run()
        var short = config
        short.epochs = 1
        let first = try Trainer(config: short, train: samples(64), test: samples(16, first: 64))
        first.checkpointDirectory = dir.path
        try first.run()
        let checkpoint = try Checkpoint.load(from: dir.appendingPathComponent("last.safetensors").path)
        #expect(throws: TrainingError.self) { try Trainer(resuming: checkpoint, train: samples(64), test: nil) }
        let resumed = try Trainer(resuming: checkpoint, epochs: 2, train: samples(64), test: samples(16, first: 64))
        #expect(resumed.optimizer.settings.kind == optimizer && resumed.history.count == 1)
        try resumed.run()
        for (a, b) in zip(straight.network.parameters, resumed.network.parameters) {
            #expect(a.value.values.map(\.bitPattern) == b.value.values.map(\.bitPattern), "\(a.name)")
        }
        #expect(resumed.history[1].trainLoss == straight.history[1].trainLoss)
    }

    @Test("a checkpoint whose configuration names an unknown rule is an error naming the file and the value")
    func badRule() throws {
        let path = try SharedMaterial.temporaryDirectory().appendingPathComponent("bad.safetensors").path
        let net = Network(spec: try tiny.spec(), seed: 1)
        let json = tiny.json.replacingOccurrences(of: "\"ottt-a\"", with: "\"ottt-x\"")
        try Checkpoint.save(to: path, network: net, optimizer: nil, metadata: ["training": json])
        let checkpoint = try Checkpoint.load(from: path)
        #expect {
            try TrainingConfig.stored(in: checkpoint)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("rule") && text.contains("'ottt-x' is not one of ottt-a")
        }
    }

    @Test("samples that do not fit the network, and impossible numbers, are configuration errors")
    func mismatch() {
        let wrong = SyntheticSamples(count: 8, classes: 4, steps: 4, frameShape: [2, 4, 4], seed: 1)
        #expect(throws: TrainingError.self) { try Trainer(config: tiny, train: wrong) }
        var zero = tiny
        zero.epochs = 0
        #expect(throws: TrainingError.self) { try Trainer(config: zero, train: samples(8)) }
    }

    @Test("T_train keeps that many distinct frames in time order, different draws per batch; all T otherwise")
    func trainSteps() {
        let frames = (0..<10).map { Tensor(shape: [1], values: [Float($0)]) }
        var g = SeededGenerator(seed: 3)
        let a = Trainer.trainingFrames(frames, keep: 4, using: &g).map { $0.values[0] }
        let b = Trainer.trainingFrames(frames, keep: 4, using: &g).map { $0.values[0] }
        #expect(a.count == 4 && Set(a).count == 4 && a == a.sorted() && a != b)
        #expect(Trainer.trainingFrames(frames, keep: nil, using: &g).count == 10)
        #expect(Trainer.trainingFrames(frames, keep: 10, using: &g).count == 10)
    }

    @Test("γ, τ, T_train and the cosine horizon are trained with and kept in checkpoints")
    func officialOptions() throws {
        var config = tiny
        config.tau = 3; config.gamma = 0.5; config.trainSteps = 2; config.cosineHorizon = 2; config.epochs = 3
        let trainer = try Trainer(config: config, train: samples(32))
        #expect(trainer.network.spec.neuron == LIF(tau: 3))
        let lrs = try trainer.run().map(\.learningRate)
        #expect(abs(lrs[1] - Double(config.learningRate) / 2) < 1e-6 && lrs[2] < 1e-6)   // 2-epoch horizon
        #expect(config.schedule.learningRate(epoch: 3) > config.schedule.learningRate(epoch: 2))   // PyTorch's rise
        var bad = config
        bad.trainSteps = config.steps + 1
        #expect(throws: TrainingError.self) { try Trainer(config: bad, train: samples(8)) }
        let back = try JSONDecoder().decode(TrainingConfig.self, from: Data(config.json.utf8))
        #expect(back == config)
    }

    @Test("the README's example trains")
    func readmeExample() throws {
        // The same lines as README.md's "Using the library".
        let config = TrainingConfig(network: "2x8x8:c8-a2-fc4", steps: 4, batch: 8, epochs: 2, learningRate: 0.1)
        let train = SyntheticSamples(count: 64, classes: 4, steps: 4, frameShape: [2, 8, 8], seed: 1)
        let test = SyntheticSamples(count: 16, classes: 4, steps: 4, frameShape: [2, 8, 8], first: 64, seed: 1)
        let trainer = try Trainer(config: config, train: train, test: test)
        for m in try trainer.run() {
            let line = "epoch \(m.epoch): train loss \(m.trainLoss), test accuracy \(m.testAccuracy ?? 0)"
            #expect(line.hasPrefix("epoch \(m.epoch)"))
        }
        try trainer.save(to: try SharedMaterial.temporaryDirectory().appendingPathComponent("model.safetensors").path)
        #expect(trainer.history.count == 2)
    }
}
