import DVSEvents
import Foundation
import SNN
import Testing
import TestSupport
import Training
@testable import Pipeline

@Suite("The standard online recipe")
struct LearningRecipeTests {
    static func settings(_ optimizer: OptimizerKind) -> SessionSettings {
        SessionSettings(sensor: SensorSize(width: 16, height: 16), binWidth: 10_000, learn: true, optimizer: optimizer)
    }

    @Test("a new online learner's Adam forgets within ~100 updates (β₂ 0.99), where offline training keeps 0.999")
    func onlineBeta2() throws {
        let network = Network(spec: try NetworkSpec(parsing: "2x16x16:c4-a2-fc10"), seed: 1)
        let learner = LearningSession.engineLearner(network: network, settings: Self.settings(.adam))
        let adam = try #require(learner.optimizer as? Adam)
        #expect(adam.beta2 == 0.99)
        #expect(LearningRecipe.standard.adamBeta2 == 0.99)
        #expect(OptimizerSettings(kind: .adam, learningRate: 1e-3).beta2 == 0.999)   // `ottt train`'s, as PyTorch's
        #expect(Self.settings(.adam).onlineOptimizer.description.contains("beta2=0.99 "))
    }

    @Test("a normalised classifier's weights turn at the standardised rate, its gain and bias step at the learning rate")
    func normalizedClassifier() throws {
        var settings = Self.settings(.adam)
        settings.learningRate = 0.003
        let network = Network(spec: try NetworkSpec(parsing: "2x16x16:c4-a2-fcn10"), seed: 1)
        let learner = LearningSession.engineLearner(network: network, settings: settings)
        let rate = { (name: String) throws -> Float in learner.optimizer.rate(for: try #require(network.parameter(name))) }
        #expect(try rate("fc.weight") == 0.001 && rate("fc.gain") == 0.003 && rate("fc.bias") == 0.003)
        #expect(try rate("conv1.weight") == 0.001 && rate("conv1.gain") == 0.003)

        // Saved as a model and continued without --ws-lr, the weights keep turning at their own rate.
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        try learner.saveCheckpoint(to: path, metadata: [:])
        let continued = try OnlineOTTTLearner(checkpoint: path)
        #expect(continued.optimizer.standardizedRate == 0.001 && continued.optimizer.learningRate == 0.003)
        #expect(continued.network.spec.hasNormalizedClassifier)
    }

    @Test("the standardised weights learn at their own rate whatever the learning rate; journals record it, and older ones read as the learning rate")
    func standardizedRate() throws {
        var settings = Self.settings(.adam)
        settings.learningRate = 0.003
        #expect(settings.standardizedRate == LearningRecipe.standard.standardizedRate && settings.standardizedRate == 0.001)
        let network = Network(spec: try NetworkSpec(parsing: "2x16x16:c4-a2-fc10"), seed: 1)
        let learner = LearningSession.engineLearner(network: network, settings: settings)
        #expect(learner.optimizer.standardizedRate == 0.001 && learner.optimizer.learningRate == 0.003)
        let weight = try #require(network.parameter("conv1.weight")), bias = try #require(network.parameter("conv1.bias"))
        #expect(learner.optimizer.rate(for: weight) == 0.001 && learner.optimizer.rate(for: bias) == 0.003)
        var adopted = Self.settings(.sgd)
        adopted.adopt(learner)
        #expect(adopted.standardizedRate == 0.001 && adopted.learningRate == 0.003)

        #expect(try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(settings)) == settings)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
        object.removeValue(forKey: "standardizedRate")
        let old = try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.standardizedRate == nil)
        let replayed = LearningSession.engineLearner(network: Network(spec: network.spec, seed: 1), settings: old)
        #expect(replayed.optimizer.rate(for: weight) == 0.003)
        object["standardizedRate"] = -1
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }

    @Test("a model steps every weight at its one rate, as it was trained, unless the standardised weights' rate is given")
    func modelRate() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        let network = Network(spec: try NetworkSpec(parsing: "2x16x16:c4-a2-fc10"), seed: 1)
        try Checkpoint.save(to: path, network: network, optimizer: Adam(learningRate: 0.002))
        for given in [nil, 0.0005] as [Float?] {
            var plan = SessionPlan(settings: Self.settings(.adam), start: .model(path), sourceName: "test")
            plan.optimizerChoice.standardizedRate = given
            let start = try LearningSession.makeLearner(plan, sensor: SensorSize(width: 16, height: 16)) { _ in }
            let learner = try #require(start.learner as? OnlineOTTTLearner)
            let weight = try #require(learner.network.parameter("conv1.weight"))
            #expect(learner.optimizer.rate(for: weight) == (given ?? 0.002))
            #expect(start.settings.standardizedRate == given && start.settings.learningRate == 0.002)
            #expect(learner.network.featureGradient == .tangent && start.settings.featureGradient == .tangent)
        }
    }

    @Test("a new online learner passes the classifier's tangent gradient back; journals record it, older ones read as the full one")
    func featureGradient() throws {
        let settings = Self.settings(.adam)
        #expect(settings.featureGradient == .tangent && LearningRecipe.standard.featureGradient == .tangent)
        let network = Network(spec: try NetworkSpec(parsing: "2x16x16:c4-a2-fcn10"), seed: 1)
        #expect(network.featureGradient == .full)                 // offline training's, as PyTorch computes it
        let learner = LearningSession.engineLearner(network: network, settings: settings)
        #expect(learner.network.featureGradient == .tangent)
        var adopted = Self.settings(.adam)
        adopted.featureGradient = .full
        adopted.adopt(learner)
        #expect(adopted.featureGradient == .tangent)

        #expect(try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(settings)) == settings)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
        #expect(object["featureGradient"] as? String == "tangent")
        object.removeValue(forKey: "featureGradient")
        let old = try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.featureGradient == .full)
        let replayed = LearningSession.engineLearner(network: Network(spec: network.spec, seed: 1), settings: old)
        #expect(replayed.network.featureGradient == .full)
        object["featureGradient"] = "radial"
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }

    @Test("a new online learner has plastic and stable channels; journals and models record them, older ones read as every channel alike")
    func plasticity() throws {
        let settings = Self.settings(.adam)
        #expect(settings.plasticity == LearningRecipe.standard.plasticity && settings.plasticity != nil)
        let spec = try NetworkSpec(parsing: "2x16x16:c4-a2-fcn10")
        let learner = LearningSession.engineLearner(network: Network(spec: spec, seed: 1), settings: settings)
        #expect(learner.optimizer.plasticity == LearningRecipe.standardPlasticity)
        var adopted = Self.settings(.adam)
        adopted.plasticity = nil
        adopted.adopt(learner)
        #expect(adopted.plasticity == LearningRecipe.standardPlasticity)

        #expect(try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(settings)) == settings)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
        object.removeValue(forKey: "plasticity")
        let old = try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.plasticity == nil)
        #expect(LearningSession.engineLearner(network: Network(spec: spec, seed: 1), settings: old).optimizer.plasticity == nil)
        object["plasticity"] = ["spread": 0.5, "plasticEvery": 2, "stableBeta1": 0.99]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        }

        // A model continues with the channels it was saved with: the session's, or none (a model trained offline).
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for saved in [LearningRecipe.standardPlasticity, nil] as [ChannelPlasticity?] {
            let path = dir.appendingPathComponent("m.safetensors").path
            let optimizer = Adam(learningRate: 0.002)
            optimizer.plasticity = saved
            try Checkpoint.save(to: path, network: Network(spec: spec, seed: 1), optimizer: optimizer)
            let plan = SessionPlan(settings: settings, start: .model(path), sourceName: "test")
            let start = try LearningSession.makeLearner(plan, sensor: SensorSize(width: 16, height: 16)) { _ in }
            let continued = try #require(start.learner as? OnlineOTTTLearner)
            #expect(continued.optimizer.plasticity == saved && start.settings.plasticity == saved)
        }
    }

    @Test("a new online learner takes full steps from its first update; a journal's recorded warm-up is kept")
    func noWarmUp() throws {
        let spec = try NetworkSpec(parsing: "2x16x16:c4-a2-fcn10")
        let fresh = LearningSession.engineLearner(network: Network(spec: spec, seed: 1), settings: Self.settings(.adam))
        #expect(fresh.warmUp == nil)
        var recorded = Self.settings(.adam)
        recorded.warmUp = 100                                    // a session journalled by an earlier version
        let decoded = try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(recorded))
        #expect(decoded.warmUp == 100)
        let replayed = LearningSession.engineLearner(network: Network(spec: spec, seed: 1), settings: decoded)
        #expect(replayed.warmUp == 100)
        var adopted = Self.settings(.adam)
        adopted.adopt(replayed)
        #expect(adopted.warmUp == 100)
    }

    @Test("SGD online keeps its rate and momentum")
    func sgd() throws {
        var settings = Self.settings(.sgd)
        settings.learningRate = 0.01
        settings.momentum = 0.5
        #expect(settings.onlineOptimizer.description == "sgd lr=0.01 momentum=0.5 weight_decay=0.0")
    }
}
