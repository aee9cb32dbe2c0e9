import Foundation
import SNN
import Tensors
import Testing
import TestSupport
import Training

@Suite("OnlineOTTTLearner: OTTT on an endless stream, one step at a time")
struct OnlineOTTTLearnerTests {
    static let words = "2x4x4:c4-a2-fc3"

    static func learner(lr: Float = 0.05) throws -> OnlineOTTTLearner {
        OnlineOTTTLearner(network: Network(spec: try NetworkSpec(parsing: words), seed: 3),
                          optimizer: SGD(learningRate: lr, momentum: 0.9))
    }

    static func input(_ k: Int) -> [Float] { (0..<32).map { Float(($0 * 5 + k * 3) % 4) } }

    @Test("learning pulls the prediction towards the label, step by step")
    func learns() throws {
        let l = try Self.learner(lr: 0.2)
        var losses: [Float] = []
        for k in 0..<40 {
            _ = l.step(Self.input(k % 2))
            if case .learned(let loss) = l.learn(label: 2) { losses.append(loss) }
        }
        #expect(losses.count == 40)
        let late: Float = losses.suffix(5).reduce(0, +), early: Float = losses.prefix(5).reduce(0, +)
        #expect(late < early / 2)
        let o = l.step(Self.input(0))
        #expect(o.indices.max { o[$0] < o[$1] } == 2)
    }

    @Test("steps without learning predict and leave the weights alone")
    func predictOnly() throws {
        let l = try Self.learner(lr: 1)
        let before = l.network.parameters.map { $0.value.values }
        let o = l.step(Self.input(1))
        #expect(o.count == 3 && o.allSatisfy(\.isFinite))
        l.resetState()
        #expect(l.network.parameters.map { $0.value.values } == before)
    }

    @Test("per segment: gradients are summed while the label holds; one update at a reset or a label change")
    func perSegment() throws {
        let spec = try NetworkSpec(parsing: Self.words)
        let segment = OnlineOTTTLearner(network: Network(spec: spec, seed: 3),
                                        optimizer: SGD(learningRate: 0.05, momentum: 0), schedule: .perSegment)
        let weights = { segment.network.parameters.map { $0.value.values } }
        let initial = weights()
        for k in 0..<3 {
            _ = segment.step(Self.input(k))
            guard case .learned = segment.learn(label: 1) else { Issue.record("step \(k) did not learn"); return }
        }
        #expect(weights() == initial)                             // nothing applied within the segment
        // The same three steps, their gradients summed by hand: the one update the reset must apply.
        let probe = Network(spec: spec, seed: 3)
        probe.reset(batchSize: 1, mode: .online, training: false)
        let loss = StepLoss(gamma: 0.001, steps: 1), g = Tensor(shape: [1, 3]), x = Tensor(shape: [1, 2, 4, 4])
        for k in 0..<3 {
            Self.input(k).withUnsafeBufferPointer { x.data.update(from: $0.baseAddress!, count: 32) }
            loss.evaluate(probe.step(x), labels: [1], gradient: g)
            probe.backwardStep(g)
        }
        SGD(learningRate: 0.05, momentum: 0).step(probe)
        segment.resetState()
        let expected = probe.parameters.map { $0.value.values }
        for (p, (got, want)) in zip(segment.network.parameters, zip(weights(), expected)) {
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-6, "\(p.name) differs by \(worst)")
        }
        // Without a reset, a new label closes the segment before its own step is learned.
        let afterReset = weights()
        _ = segment.step(Self.input(0)); _ = segment.learn(label: 2)
        #expect(weights() == afterReset)
        _ = segment.step(Self.input(1)); _ = segment.learn(label: 0)
        #expect(weights() != afterReset)
    }

    @Test("a segment of T steps from a fresh state is OTTT_A on that window (the loss's 1/T in the learning rate)")
    func segmentEqualsOTTTA() throws {
        let spec = try NetworkSpec(parsing: "2x6x6:c4-a2-c5-gap-fc3")
        let frames = LearningRuleTests.batch(4, seed: 8).map { f in (0..<72).map { f.data[$0] } }
        let a = Network(spec: spec, seed: 2), b = Network(spec: spec, seed: 2)
        var rule = OTTTA()
        _ = rule.train(a, frames: frames.map { Tensor(shape: [1, 2, 6, 6], values: $0) }, labels: [2],
                       optimizer: SGD(learningRate: 0.2))
        let learner = OnlineOTTTLearner(network: b, optimizer: SGD(learningRate: 0.2 / 4), schedule: .perSegment)
        for f in frames {
            _ = learner.step(f)
            _ = learner.learn(label: 2)
        }
        learner.resetState()                                      // the end of the sample: its one update
        for (p, q) in zip(a.parameters, b.parameters) {
            let worst = zip(p.value.values, q.value.values).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-6, "\(p.name) differs by \(worst)")
        }
    }

    @Test("a warm-up of n updates scales the k-th update's step by k / n")
    func warmUp() throws {
        let spec = try NetworkSpec(parsing: Self.words)
        func firstStep(warmUp: Int?) -> [Float] {
            let l = OnlineOTTTLearner(network: Network(spec: spec, seed: 3), optimizer: SGD(learningRate: 0.05, momentum: 0))
            l.warmUp = warmUp
            let before = l.network.parameters.flatMap { $0.value.values }
            _ = l.step(Self.input(1))
            _ = l.learn(label: 2)
            return zip(l.network.parameters.flatMap { $0.value.values }, before).map { $0 - $1 }
        }
        let plain = firstStep(warmUp: nil), warmed = firstStep(warmUp: 4)
        #expect(plain.contains { $0 != 0 })
        for (p, w) in zip(plain, warmed) { #expect(abs(w - p / 4) <= 1e-6 + abs(p) * 1e-4) }
    }

    @Test("a class memory settles the convolutions: after many updates they have moved far less than without")
    func settling() throws {
        let spec = try NetworkSpec(parsing: Self.words)
        func convolutionDrift(_ memory: ClassMemory?) -> Float {
            let l = OnlineOTTTLearner(network: Network(spec: spec, seed: 3), optimizer: Adam(learningRate: 0.01))
            l.classMemory = memory
            let before = l.network.parameters.filter { !$0.name.hasPrefix("fc.") }.flatMap { $0.value.values }
            for k in 0..<60 { _ = l.step(Self.input(k)); _ = l.learn(label: k % 3) }
            let after = l.network.parameters.filter { !$0.name.hasPrefix("fc.") }.flatMap { $0.value.values }
            return zip(after, before).map { abs($0 - $1) }.reduce(0, +)
        }
        let free = convolutionDrift(nil), settled = convolutionDrift(ClassMemory(settling: 2))
        #expect(free > 0)
        #expect(settled < free / 3, "drift \(settled) with a class memory, \(free) without")
    }

    @Test("a class first taught after the first updates engages the memory: prototype scores out, convolutions held")
    func newClassEngages() throws {
        let l = OnlineOTTTLearner(network: Network(spec: try NetworkSpec(parsing: Self.words), seed: 3),
                                  optimizer: Adam(learningRate: 0.01))
        l.classMemory = .onNewClass(window: 50, after: 5, recent: 1000, heldRate: 0)
        func convolutions() -> [Float] { l.network.parameters.filter { !$0.name.hasPrefix("fc.") }.flatMap { $0.value.values } }
        func classifier() -> [Float] { l.network.parameters.filter { $0.name.hasPrefix("fc.") }.flatMap { $0.value.values } }
        var early = convolutions()
        for k in 0..<10 { _ = l.step(Self.input(k)); _ = l.learn(label: k % 2) }      // 0 and 1: one update a step
        #expect(!l.memoryEngaged && l.prototypes != nil && convolutions() != early)
        let logits = l.step(Self.input(10))
        #expect(logits.contains { abs($0) > 1 } || logits[2] != -1, "the classifier's output while not engaged")
        _ = l.learn(label: 2)                                                            // new, after 10 updates
        #expect(l.memoryEngaged && l.watch?.engagedAt == 11)
        early = convolutions()
        let fc = classifier()
        for k in 11..<20 { _ = l.step(Self.input(k)); _ = l.learn(label: 2) }
        #expect(convolutions() == early, "held at rate 0 while engaged")
        #expect(classifier() != fc)
        let scores = l.step(Self.input(20))
        #expect(scores.allSatisfy { $0 >= -1.0001 && $0 <= 1.0001 }, "cosines: \(scores)")
    }

    @Test("an update that is not finite is undone and reported; the weights stay the last good ones")
    func nonFinite() throws {
        let l = try Self.learner(lr: .greatestFiniteMagnitude)
        var report: String?
        for k in 0..<6 where report == nil {
            _ = l.step(Self.input(k))
            let good = l.network.parameters.map { $0.value.values }
            if case .nonFinite(let message) = l.learn(label: 0) {
                report = message
                #expect(l.network.parameters.map { $0.value.values } == good)
            }
        }
        #expect(report != nil)
    }

    @Test("a checkpoint carries weights, optimizer and neuron state: the restored learner continues identically")
    func checkpointContinues() throws {
        let a = try Self.learner()
        for k in 0..<5 { _ = a.step(Self.input(k)); _ = a.learn(label: k % 3) }
        let dir = try SharedMaterial.temporaryDirectory()
        let path = dir.appendingPathComponent("a.safetensors").path
        try a.saveCheckpoint(to: path, metadata: ["note": "x"])
        let b = try OnlineOTTTLearner(checkpoint: path, learningRate: 0.05, momentum: 0.9)
        let c = try Self.learner()
        #expect(try c.loadCheckpoint(from: path)["note"] == "x")
        for k in 5..<10 {
            let oa = a.step(Self.input(k)), ob = b.step(Self.input(k)), oc = c.step(Self.input(k))
            #expect(oa.map(\.bitPattern) == ob.map(\.bitPattern))
            #expect(oa.map(\.bitPattern) == oc.map(\.bitPattern))
            _ = a.learn(label: 1); _ = b.learn(label: 1); _ = c.learn(label: 1)
        }
        #expect(a.network.parameters.map { $0.value.values } == b.network.parameters.map { $0.value.values })
    }

    @Test("a model saved with Adam continues with Adam and its moments; given values override the saved ones")
    func adamCheckpoint() throws {
        let a = OnlineOTTTLearner(network: Network(spec: try NetworkSpec(parsing: Self.words), seed: 3),
                               optimizer: Adam(learningRate: 0.002))
        for k in 0..<4 { _ = a.step(Self.input(k)); _ = a.learn(label: k % 3) }
        let path = try SharedMaterial.temporaryDirectory().appendingPathComponent("adam.safetensors").path
        try a.saveCheckpoint(to: path, metadata: [:])
        let b = try OnlineOTTTLearner(checkpoint: path)
        let adam = try #require(b.optimizer as? Adam)
        #expect(adam.steps == 4 && adam.learningRate == 0.002)
        for k in 4..<7 {
            #expect(a.step(Self.input(k)).map(\.bitPattern) == b.step(Self.input(k)).map(\.bitPattern))
            _ = a.learn(label: 2); _ = b.learn(label: 2)
        }
        #expect(a.network.parameters.map { $0.value.values } == b.network.parameters.map { $0.value.values })
        #expect(try OnlineOTTTLearner(checkpoint: path, learningRate: 0.01).optimizer.settings.learningRate == 0.01)
        #expect(try OnlineOTTTLearner(checkpoint: path, optimizer: .sgd).optimizer is SGD)
    }

    @Test("loading another network's checkpoint is refused, naming both")
    func otherNetwork() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let path = dir.appendingPathComponent("other.safetensors").path
        let other = OnlineOTTTLearner(network: Network(spec: try NetworkSpec(parsing: "2x4x4:c2-a2-fc3"), seed: 1),
                                      optimizer: SGD(learningRate: 0.1))
        try other.saveCheckpoint(to: path, metadata: [:])
        #expect(throws: OnlineLearnerError.self) { try Self.learner().loadCheckpoint(from: path) }
    }
}
