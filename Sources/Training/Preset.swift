import SNN

/// A network with its training configuration, as the official scripts set them (docs/OTTT.md):
/// - `paper-cifar10dvs` (`train_cifar10dvs.py`): SGD lr 0.1, momentum 0.9, no weight decay, cosine annealing over
///   300 epochs, batch 128, T = 10, dropout 0.1, OTTT_A;
/// - `paper-dvsgesture` (`train_dvsgesture.py`): Adam lr 0.001, cosine annealing with `T_max` 300 over 300 epochs,
///   batch 16, T = 20, no dropout, OTTT_A.
/// Both: τ = 2, γ (`loss_lambda`) = 0.001, the LIF neuron. The small presets are for live use; their training
/// values are ours (not from the paper).
public struct Preset: Sendable {
    public var name: String
    public var network: NetworkSpec
    public var steps: Int
    public var batchSize: Int
    public var epochs: Int
    public var optimizer: OptimizerKind
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    public var rule: LearningRuleKind
    /// The cosine schedule's horizon (`T_max`), nil: the epochs.
    public var cosineHorizon: Int?

    /// The preset called `name` (`paper-cifar10dvs`, `paper-dvsgesture`, `small32`, `small48`), or nil.
    public static func named(_ name: String) -> Preset? {
        guard let spec = NetworkSpec.preset(name) else { return nil }
        switch name {
        case "paper-cifar10dvs":
            return Preset(name: name, network: spec, steps: 10, batchSize: 128, epochs: 300, optimizer: .sgd,
                          learningRate: 0.1, momentum: 0.9, weightDecay: 0, rule: .otttA)
        case "paper-dvsgesture":
            return Preset(name: name, network: spec, steps: 20, batchSize: 16, epochs: 300, optimizer: .adam,
                          learningRate: 0.001, momentum: 0.9, weightDecay: 0, rule: .otttA, cosineHorizon: 300)
        default:
            return Preset(name: name, network: spec, steps: 10, batchSize: 16, epochs: 30, optimizer: .sgd,
                          learningRate: 0.05, momentum: 0.9, weightDecay: 0, rule: .otttA)
        }
    }

    /// The preset's optimizer settings.
    public var optimizerSettings: OptimizerSettings {
        OptimizerSettings(kind: optimizer, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
    }

    /// The preset's learning-rate schedule.
    public var schedule: CosineSchedule { CosineSchedule(baseLearningRate: learningRate, epochs: cosineHorizon ?? epochs) }
}
