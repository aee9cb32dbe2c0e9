import Foundation
import SNN
import Tensors
import Testing
import TestSupport
import Training

@Suite("OnlineOTTTLearner checkpoints: the pending segment, the update count and the class memory carry over")
struct OnlineOTTTLearnerCheckpointTests {
    static let words = "2x4x4:c4-a2-fc3"

    /// No class memory, one from the first step, or one a new class engages (here class 1, after the first update).
    enum Memory: CaseIterable, Sendable {
        case none, always, newClass
        var value: ClassMemory? {
            switch self {
            case .none: nil
            case .always: ClassMemory(window: 5, settling: 3)
            case .newClass: .onNewClass(window: 5, after: 1, recent: 100, heldRate: 0.05)
            }
        }
    }

    /// The sessions' recipe in small: Adam, per segment capped at 4 steps, a warm-up, optionally a class memory.
    static func learner(memory: Memory) throws -> OnlineOTTTLearner {
        let l = OnlineOTTTLearner(network: Network(spec: try NetworkSpec(parsing: words), seed: 3),
                                  optimizer: Adam(learningRate: 0.01), schedule: .perSegment, maxSegmentSteps: 4)
        configure(l, memory: memory)
        return l
    }

    static func configure(_ l: OnlineOTTTLearner, memory: Memory) {
        l.warmUp = 10
        l.classMemory = memory.value
    }

    static func input(_ k: Int) -> [Float] { (0..<32).map { Float(($0 * 5 + k * 3) % 4) + Float(k % 3) } }
    /// Labels in stretches of 3, so that most steps fall inside a segment.
    static func label(_ k: Int) -> Int { (k / 3) % 3 }

    static func run(_ l: OnlineOTTTLearner, _ steps: Range<Int>) -> [[UInt32]] {
        steps.map { k in
            let o = l.step(input(k))
            _ = l.learn(label: label(k))
            if k % 10 == 9 { l.resetState() }
            return o.map(\.bitPattern)
        }
    }

    static func path(_ name: String) throws -> String {
        try SharedMaterial.temporaryDirectory().appendingPathComponent(name).path
    }

    @Test("saved inside a labelled segment, a restored learner continues bit for bit (with and without a class memory)",
          arguments: Memory.allCases)
    func midSegment(memory: Memory) throws {
        let a = try Self.learner(memory: memory)
        _ = Self.run(a, 0..<8)                       // step 7: the second step of label 2's stretch, not applied
        let file = try Self.path("mid.safetensors")
        try a.saveCheckpoint(to: file, metadata: [:])
        let b = try OnlineOTTTLearner(checkpoint: file, schedule: .perSegment, maxSegmentSteps: 4)
        Self.configure(b, memory: memory)
        let c = try Self.learner(memory: memory)
        _ = try c.loadCheckpoint(from: file)
        #expect(b.updates == a.updates && c.updates == a.updates && a.updates > 0)
        #expect((b.prototypes == nil) == (memory == .none) && b.prototypes == a.prototypes && c.prototypes == a.prototypes)
        #expect(b.watch == a.watch && c.watch == a.watch && (a.watch?.engaged ?? false) == (memory == .newClass))
        let outputs = Self.run(a, 8..<30)
        #expect(Self.run(b, 8..<30) == outputs)
        #expect(Self.run(c, 8..<30) == outputs)
        for l in [b, c] {
            #expect(l.network.parameters.map { $0.value.values } == a.network.parameters.map { $0.value.values })
            #expect(l.updates == a.updates)
        }
    }

    @Test("without the pending gradients a mid-segment restore would differ (the test above can fail)")
    func pendingMatters() throws {
        let a = try Self.learner(memory: .none)
        _ = Self.run(a, 0..<8)
        let file = try Self.path("plain.safetensors")
        try a.saveCheckpoint(to: file, metadata: [:])
        let saved = try SafeTensors.read(path: file)
        #expect(saved.names.contains { $0.hasPrefix("learner.gradient.") })
        #expect(saved.metadata["ottt.learner"] == "updates=\(a.updates) label=2 steps=2")
        // The same file without its learner entries: the segment's first two steps are lost.
        var stripped = SafeTensors()
        for name in saved.names where !name.hasPrefix("learner.") { stripped.set(name, try saved.tensor(name)) }
        stripped.metadata = saved.metadata.filter { $0.key != "ottt.learner" }
        try stripped.write(path: file)
        let b = try OnlineOTTTLearner(checkpoint: file, schedule: .perSegment, maxSegmentSteps: 4)
        Self.configure(b, memory: .none)
        #expect(b.updates == 0)
        _ = Self.run(a, 8..<12); _ = Self.run(b, 8..<12)
        #expect(b.network.parameters.map { $0.value.values } != a.network.parameters.map { $0.value.values })
    }

    @Test("the prototypes' size is classes × features, whatever the stream's length")
    func constantSize() throws {
        let a = try Self.learner(memory: .always)
        var sizes: [Int] = []
        for steps in [6, 60, 300] {
            _ = Self.run(a, 0..<steps)
            let file = try Self.path("size\(steps).safetensors")
            try a.saveCheckpoint(to: file, metadata: [:])
            let saved = try SafeTensors.read(path: file)
            let means = try #require(saved.entries["learner.prototypes.means"])
            #expect(means.shape == [3, try #require(a.prototypes).features])
            #expect(saved.entries["learner.prototypes.counts"]?.shape == [3])
            sizes.append(saved.names.filter { $0.hasPrefix("learner.prototypes") }
                .map { saved.entries[$0]?.bytes.count ?? 0 }.reduce(0, +))
        }
        #expect(Set(sizes).count == 1, "prototype bytes \(sizes)")
    }

    /// A checkpoint of `steps` steps whose metadata `key` is replaced by `value`; returns its path and what it held.
    static func damaged(memory: Memory, steps: Int, key: String, value: String) throws -> (String, String?) {
        let a = try learner(memory: memory)
        _ = run(a, 0..<steps)
        let file = try path("bad-\(key).safetensors")
        try a.saveCheckpoint(to: file, metadata: [:])
        var saved = try SafeTensors.read(path: file)
        let held = saved.metadata[key]
        saved.metadata[key] = value
        try saved.write(path: file)
        return (file, held)
    }

    @Test("damaged learner state is refused with the key and what was expected",
          arguments: ["updates=x", "updates=1 label=9 steps=1", "updates=2 steps=3", "label=1 steps=1", "updates=-1"])
    func damaged(_ counters: String) throws {
        let (file, _) = try Self.damaged(memory: .none, steps: 3, key: "ottt.learner", value: counters)
        #expect { try OnlineOTTTLearner(checkpoint: file) } throws: { e in
            "\(e)".contains("ottt.learner") && "\(e)".contains(counters)
        }
    }

    @Test("a damaged class watch is refused with its key and what was expected")
    func damagedWatch() throws {
        let (file, held) = try Self.damaged(memory: .newClass, steps: 8, key: "ottt.learner.classes",
                                            value: "steps=2 engaged=0 last=1,2")
        #expect(held?.hasPrefix("steps=8 engaged=") == true, "\(held ?? "none")")
        #expect { try OnlineOTTTLearner(checkpoint: file) } throws: { e in
            "\(e)".contains("ottt.learner.classes") && "\(e)".contains("3 counts")
        }
    }

    @Test("a plain model (no learner state) starts with no update made and no pending segment")
    func plainModel() throws {
        let a = try Self.learner(memory: .none)
        _ = Self.run(a, 0..<3)
        let file = try Self.path("model.safetensors")
        try Checkpoint.save(to: file, network: a.network, optimizer: a.optimizer)
        let b = try OnlineOTTTLearner(checkpoint: file, schedule: .perSegment, maxSegmentSteps: 4)
        #expect(b.updates == 0 && b.prototypes == nil)
        #expect(b.network.gradientTensors.allSatisfy { t in t.tensor.values.allSatisfy { $0 == 0 } })
    }
}
