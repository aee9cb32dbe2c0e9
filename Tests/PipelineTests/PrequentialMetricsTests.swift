import Testing
@testable import Pipeline

@Suite("Prequential scoring: test, then train")
struct PrequentialMetricsTests {
    @Test("counts overall, rolling and per-class accuracy and the confusion matrix")
    func counts() {
        var m = PrequentialMetrics(classes: 3, window: 4)
        for (p, l) in [(0, 0), (1, 0), (2, 2), (2, 2), (1, 1), (0, 1)] { m.score(predicted: p, label: l) }
        #expect(m.scored == 6 && m.correct == 4)
        #expect(m.accuracy == 4.0 / 6)
        #expect(m.rollingAccuracy == 0.75)                          // last four: hit, hit, hit, miss
        #expect(m.confusion == [[1, 1, 0], [1, 1, 0], [0, 0, 2]])
        #expect(m.perClassAccuracy == [0.5, 0.5, 1.0])
        #expect(m.confusionTable(names: ["a", "b", "c"]).contains("true\\pred"))
    }

    @Test("the stage scores each prediction before the learner sees its label")
    func scoreBeforeLearn() throws {
        let learner = TinyLearner(inputShape: [1, 1, 2], classes: 2, learningRate: 5)
        let stage = LearnerStage(learner: learner, decay: 0, reset: .never, learn: true)
        // Frame A always carries label 1. The weights favour class 0 for it, so test-then-train must score the first
        // step as a miss even though learning from it flips the prediction right away.
        learner.weights = [1, 0, 0, 0]                              // [classes 2, inputs 2]
        let a: [Float] = [1, 0]
        let first = try stage.process(testFrame(bin: 0, values: a), label: 1)
        #expect(first.predicted == 0 && stage.metrics.correct == 0)
        #expect(learner.log == ["step", "learn 1"])
        let second = try stage.process(testFrame(bin: 1, values: a), label: 1)
        #expect(second.predicted == 1 && stage.metrics.correct == 1 && stage.metrics.scored == 2)
    }

    @Test("without --learn labels are scored and never learned")
    func predictOnly() throws {
        let learner = TinyLearner(inputShape: [1, 1, 2], classes: 2)
        let stage = LearnerStage(learner: learner, decay: 0.5, reset: .never, learn: false)
        for bin in 0..<5 { _ = try stage.process(testFrame(bin: bin, values: [1, 1]), label: 1) }
        #expect(stage.metrics.scored == 5)
        #expect(!learner.log.contains { $0.hasPrefix("learn") })
    }

    @Test("a non-finite update stops learning, keeps the last good weights, and predictions go on")
    func nonFiniteStopsLearning() throws {
        let learner = TinyLearner(inputShape: [1, 1, 2], classes: 2)
        learner.poisonAtLearn = 3
        let stage = LearnerStage(learner: learner, decay: 0.9, reset: .never, learn: true)
        var weightsBeforePoison: [Float] = []
        for bin in 0..<6 {
            if bin == 2 { weightsBeforePoison = learner.weights }
            let p = try stage.process(testFrame(bin: bin, values: [1, 0.5]), label: bin % 2)
            #expect(p.scores.allSatisfy { $0.isFinite })
        }
        #expect(!stage.isLearning)
        #expect(stage.stopReason?.contains("learning stopped at bin 2") == true)
        #expect(learner.weights == weightsBeforePoison)
        #expect(learner.log.filter { $0.hasPrefix("learn") }.count == 3)
        #expect(learner.log.filter { $0 == "step" }.count == 6)
    }
}
