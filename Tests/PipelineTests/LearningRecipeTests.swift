import DVSEvents
import SNN
import Testing
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

    @Test("SGD online keeps its rate and momentum")
    func sgd() throws {
        var settings = Self.settings(.sgd)
        settings.learningRate = 0.01
        settings.momentum = 0.5
        #expect(settings.onlineOptimizer.description == "sgd lr=0.01 momentum=0.5 weight_decay=0.0")
    }
}
