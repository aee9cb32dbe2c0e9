import Foundation
import SNN

/// How a network is trained: the network, the learning rule, the optimizer and the schedule. A checkpoint keeps
/// it in its metadata (`training`, JSON with these key names) so that a run resumes exactly.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// The preset the run started from, or nil for a network given in words.
    public var preset: String?
    /// The network in words (`2x48x48:c64-…-fc10`).
    public var network: String
    public var dropout: Float
    public var rule: LearningRuleKind
    /// Time steps per sample (T).
    public var steps: Int
    public var batch: Int
    /// Epochs; the cosine schedule spans them.
    public var epochs: Int
    public var optimizer: OptimizerKind
    /// The base learning rate (epoch 0 of the schedule).
    public var learningRate: Float
    /// SGD's momentum.
    public var momentum: Float
    public var weightDecay: Float
    /// Initialisation, shuffling and augmentation.
    public var seed: UInt64
    /// The neuron's τ (official `-tau`); nil is 2. `.infinity` is never stored: the IF neuron is `neuron` "if".
    public var tau: Float?
    /// The neuron: nil or "lif" (`OnlineLIFNode`), "if" (`OnlineIFNode`, no leak).
    public var neuron: NeuronKind?
    /// γ, the MSE share of the loss (official `-loss_lambda`); nil is 0.001.
    public var gamma: Float?
    /// Training time steps when fewer than `steps` (official `-T_train`): each training batch sees that many of
    /// its T frames, drawn at random without replacement and kept in order; evaluation uses all T. Nil: all T.
    public var trainSteps: Int?
    /// The cosine schedule's horizon in epochs (official `-T_max`); nil is `epochs`. Past it the rate rises again,
    /// as PyTorch's `CosineAnnealingLR` does.
    public var cosineHorizon: Int?

    public init(preset: String? = nil, network: String, dropout: Float = 0, rule: LearningRuleKind = .otttA,
                steps: Int = 10, batch: Int = 16, epochs: Int = 30, optimizer: OptimizerKind = .sgd,
                learningRate: Float = 0.1, momentum: Float = 0.9, weightDecay: Float = 0, seed: UInt64 = 1) {
        self.preset = preset; self.network = network; self.dropout = dropout; self.rule = rule; self.steps = steps
        self.batch = batch; self.epochs = epochs; self.optimizer = optimizer; self.learningRate = learningRate
        self.momentum = momentum; self.weightDecay = weightDecay; self.seed = seed
    }

    /// The neuron the network uses: τ (default 2), or the IF neuron.
    public var lif: LIF { neuron == .integrateAndFire ? .integrateAndFire : LIF(tau: tau ?? 2) }

    /// γ as used by the loss.
    public var lossGamma: Float { gamma ?? 0.001 }

    /// The learning-rate schedule: cosine over `cosineHorizon` (or all epochs).
    public var schedule: CosineSchedule { CosineSchedule(baseLearningRate: learningRate, epochs: cosineHorizon ?? epochs) }

    /// What plots are titled with: the preset, or the network's words.
    public var title: String { preset ?? network }

    /// The network's description, parsed.
    public func spec() throws(TrainingError) -> NetworkSpec {
        do { return try NetworkSpec(parsing: network, neuron: lif, dropout: dropout) } catch {
            throw .invalidConfiguration("\(error)")
        }
    }

    /// The optimizer's kind and hyper-parameters (the learning rate at the start of the schedule).
    public var optimizerSettings: OptimizerSettings {
        OptimizerSettings(kind: optimizer, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
    }

    /// Throws unless the numbers can be trained with.
    public func validate() throws(TrainingError) {
        guard steps > 0, batch > 0, epochs > 0 else {
            throw .invalidConfiguration("T \(steps), batch \(batch) and epochs \(epochs) must all be positive")
        }
        guard learningRate.isFinite, learningRate > 0, momentum.isFinite, weightDecay.isFinite else {
            throw .invalidConfiguration("learning rate \(learningRate), momentum \(momentum), weight decay \(weightDecay)")
        }
        if let tau, !(tau >= 1 && tau.isFinite) { throw .invalidConfiguration("τ \(tau) must be finite and at least 1") }
        if let gamma, !(0...1).contains(gamma) { throw .invalidConfiguration("γ \(gamma) must lie in 0…1") }
        if let trainSteps, !(1...steps).contains(trainSteps) {
            throw .invalidConfiguration("T_train \(trainSteps) must lie in 1…T (\(steps))")
        }
        if let cosineHorizon, cosineHorizon < 1 { throw .invalidConfiguration("cosine horizon \(cosineHorizon) epochs") }
        _ = try spec()
    }

    /// JSON with sorted keys, as checkpoints keep it.
    public var json: String { sortedJSON(self) }

    /// The configuration in `checkpoint`'s metadata (`training`); other keys in that JSON are ignored.
    public static func stored(in checkpoint: Checkpoint) throws(TrainingError) -> TrainingConfig {
        guard let text = checkpoint.metadata["training"] else { throw .noConfiguration(file: checkpoint.path) }
        let config: TrainingConfig
        do { config = try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) } catch {
            throw .unreadableMetadata(file: checkpoint.path, key: "training", problem: TrainingError.explain(error))
        }
        // A checkpoint is input: "steps":0 or a NaN rate must be an error here, not a trap in the trainer.
        do { try config.validate() } catch {
            throw .unreadableMetadata(file: checkpoint.path, key: "training", problem: "\(error)")
        }
        return config
    }
}

/// The spiking neuron of a configuration, by the word flags and checkpoints use.
public enum NeuronKind: String, Codable, Sendable, CaseIterable {
    case lif
    case integrateAndFire = "if"
}

/// `value` as JSON with sorted keys; non-finite numbers are written as strings ("nan", "inf"), so it cannot fail.
func sortedJSON(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let data = try? encoder.encode(value) else { return "null" }
    return String(decoding: data, as: UTF8.self)
}
