import SNN
import Testing
import Training

@Suite("ClassPrototypes: per-class running means of the learner's features")
struct ClassPrototypesTests {
    static func scores(_ p: ClassPrototypes, _ f: [Float]) -> [Float] {
        f.withUnsafeBufferPointer { p.scores($0) }
    }

    static func add(_ p: inout ClassPrototypes, _ f: [Float], to k: Int) {
        f.withUnsafeBufferPointer { p.add($0, to: k) }
    }

    @Test("a feature is nearest its own class's mean; a class not seen yet scores −1")
    func nearest() {
        var p = ClassPrototypes(classes: 3, features: 4)
        Self.add(&p, [1, 0, 0, 0], to: 0)
        Self.add(&p, [0.9, 0.1, 0, 0], to: 0)
        Self.add(&p, [0, 0, 1, 1], to: 1)
        let s = Self.scores(p, [0.8, 0.2, 0.1, 0])
        #expect(s[0] > s[1])
        #expect(s[2] == -1)
        let t = Self.scores(p, [0, 0.1, 1, 0.8])
        #expect(t[1] > t[0])
        #expect(p.counts == [2, 1, 0])
    }

    @Test("the mean is exact up to the window, then running: it follows a class whose features move")
    func window() {
        var p = ClassPrototypes(classes: 1, features: 2, window: 4)
        for v: Float in [1, 2, 3] { Self.add(&p, [v, 1], to: 0) }
        #expect(abs(p.means[0] - 2) < 1e-6)
        for _ in 0..<40 { Self.add(&p, [10, 1], to: 0) }
        #expect(abs(p.means[0] - 10) < 0.01)
    }

    @Test("a silent (zero) feature teaches nothing and scores −1 everywhere")
    func silent() {
        var p = ClassPrototypes(classes: 2, features: 3)
        Self.add(&p, [0, 0, 0], to: 1)
        #expect(p.counts == [0, 0])
        Self.add(&p, [1, 1, 1], to: 1)
        #expect(Self.scores(p, [0, 0, 0]) == [-1, -1])
    }

    @Test("memory is fixed: a long stream does not grow the prototypes")
    func fixedSize() {
        var p = ClassPrototypes(classes: 4, features: 8, window: 10)
        let before = p.means.count
        for i in 0..<5000 { Self.add(&p, (0..<8).map { Float(($0 + i) % 5) }, to: i % 4) }
        #expect(p.means.count == before && p.counts == [1250, 1250, 1250, 1250])
    }

    /// A learner taught class 0 only, then class 1 only, on two patterns; returns its predictions for both.
    static func teachOneThenOther(memory: ClassMemory?) throws -> (Int, Int, ClassPrototypes?) {
        let spec = try NetworkSpec(parsing: "2x4x4:c4-a2-fc2")
        let learner = OnlineOTTTLearner(network: Network(spec: spec, seed: 3), optimizer: Adam(learningRate: 0.01),
                                        schedule: .perSegment, maxSegmentSteps: 5)
        learner.classMemory = memory
        // Two patterns on both polarity channels: the left half of the 4×4 input, or the right half.
        func input(_ k: Int) -> [Float] { (0..<32).map { i in (i % 4 < 2) == (k == 0) ? 5 : 0 } }
        func predict(_ k: Int) -> Int {
            learner.resetState()
            var o: [Float] = []
            for _ in 0..<5 { o = learner.step(input(k)) }
            return o.indices.max { o[$0] < o[$1] } ?? -1
        }
        for k in [0, 1] {                                     // class 0 only, then class 1 only
            learner.resetState()
            for _ in 0..<60 {
                _ = learner.step(input(k))
                _ = learner.learn(label: k)
            }
        }
        return (predict(0), predict(1), learner.prototypes)
    }

    @Test("taught class 1 after class 0, a learner with a class memory tells both apart from its prototypes")
    func learnerRemembers() throws {
        let (zero, one, prototypes) = try Self.teachOneThenOther(memory: ClassMemory(window: 100))
        #expect(zero == 0 && one == 1)
        #expect(prototypes.map { $0.counts[0] > 0 && $0.counts[1] > 0 && $0.means.count == 2 * $0.features } == true)
        #expect(try Self.teachOneThenOther(memory: nil).2 == nil)
    }
}
