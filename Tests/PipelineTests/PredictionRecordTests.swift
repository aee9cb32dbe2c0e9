import Foundation
import Pipeline
import SNN
import Testing
import Training

@Suite("PredictionRecord: the one JSON object of a prediction")
struct PredictionRecordTests {
    static func frame(_ k: Int) -> BinnedFrame {
        testFrame(bin: k, values: (0..<32).map { Float(($0 * 5 + k * 3) % 4) })
    }

    @Test("it says when the class memory makes the prediction: absent before a new class, true after")
    func remembering() throws {
        let learner = OnlineOTTTLearner(network: Network(spec: try NetworkSpec(parsing: "2x4x4:c4-a2-fc3"), seed: 3),
                                        optimizer: Adam(learningRate: 0.01))
        learner.classMemory = .onNewClass(window: 50, after: 5, recent: 1000, heldRate: 0)
        let stage = LearnerStage(learner: learner, decay: 0.9, reset: .never, learn: true)
        var objects: [String] = []
        for k in 0..<20 {
            let p = try stage.process(Self.frame(k), label: k < 10 ? k % 2 : 2)          // class 2 new at step 11
            objects.append(PredictionRecord.json(p, PipelineStatus(), names: ["a", "b", "c"]))
            #expect(p.remembering == (k > 10), "step \(k + 1)")
        }
        #expect(!objects[10].contains("remembering"))
        #expect(objects[11].contains("\"learning\":false,\"remembering\":true,\"loss\""))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(objects[19].utf8)) as? [String: Any])
        #expect(object["remembering"] as? Bool == true)
    }
}
