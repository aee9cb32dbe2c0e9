import Tensors

/// The optimizers by name: the one registry that flags, training configurations and checkpoints go through.
/// The raw values are the names checkpoints have always recorded (`sgd`, `adam`).
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    case sgd, adam

    /// A fresh optimizer of this kind. `momentum` is SGD's (Adam keeps its β₁ = 0.9).
    public func make(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0) -> any Optimizer {
        OptimizerSettings(kind: self, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay).make()
    }

    public init(from decoder: any Decoder) throws { self = try decodeNamed(decoder) }
}

/// An optimizer's kind and hyper-parameters: what a checkpoint records in its `optimizer` metadata entry, in words
/// (`sgd lr=0.1 momentum=0.9 weight_decay=0`, `adam lr=0.001 beta1=0.9 beta2=0.999 eps=1e-08 weight_decay=0`).
public struct OptimizerSettings: Sendable, Equatable, CustomStringConvertible {
    public var kind: OptimizerKind
    public var learningRate: Float
    /// SGD's momentum μ.
    public var momentum: Float
    public var weightDecay: Float
    /// Adam's β₁, β₂ and ε.
    public var beta1: Float, beta2: Float, epsilon: Float
    /// The scale-invariant weights' own rate (`Optimizer.standardizedRate`, the word `ws_lr`); nil: the learning
    /// rate. Recorded so that a model saved by a session continues its weights at the rate they learned at.
    public var standardizedRate: Float?
    /// The convolutions' plastic and stable channels (`Optimizer.plasticity`, the words `plastic_spread`,
    /// `plastic_every`, `stable_beta1`); nil: every channel alike.
    public var plasticity: ChannelPlasticity?

    public init(kind: OptimizerKind, learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0,
                beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, standardizedRate: Float? = nil,
                plasticity: ChannelPlasticity? = nil) {
        self.kind = kind; self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.standardizedRate = standardizedRate
        self.plasticity = plasticity
    }

    /// Reads the words of `description`; `file` names the checkpoint in errors. Absent values take the defaults,
    /// the learning rate must be there.
    public init(parsing text: String, file: String) throws(CheckpointError) {
        let words = text.split(separator: " ")
        let expected = "'\(OptimizerKind.allCases.map(\.rawValue).joined(separator: "|")) lr=X …'"
        guard let first = words.first, let kind = OptimizerKind(rawValue: String(first)) else {
            throw .badMetadata(file: file, key: "optimizer", value: text, expected: expected)
        }
        var values: [String: Float] = [:]
        for word in words.dropFirst() {
            let kv = word.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let v = Float(kv[1]), v.isFinite else {
                throw .badMetadata(file: file, key: "optimizer", value: text, expected: "name=number words after the kind")
            }
            values[String(kv[0])] = v
        }
        guard let lr = values["lr"] else { throw .badMetadata(file: file, key: "optimizer", value: text, expected: expected) }
        let plasticity = ChannelPlasticity(words: values)
        if let plasticity, !plasticity.isValid {
            throw .badMetadata(file: file, key: "optimizer", value: text,
                               expected: "plastic_spread from 1 to 1000, plastic_every ≥ 1, 0 ≤ stable_beta1 < 1")
        }
        self.init(kind: kind, learningRate: lr, momentum: values["momentum"] ?? 0.9,
                  weightDecay: values["weight_decay"] ?? 0, beta1: values["beta1"] ?? 0.9,
                  beta2: values["beta2"] ?? 0.999, epsilon: values["eps"] ?? 1e-8, standardizedRate: values["ws_lr"],
                  plasticity: plasticity)
    }

    /// A fresh optimizer with these values.
    public func make() -> any Optimizer {
        let optimizer: any Optimizer = switch kind {
        case .sgd: SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .adam: Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        }
        optimizer.standardizedRate = standardizedRate
        optimizer.plasticity = plasticity
        return optimizer
    }

    public var description: String {
        let words = switch kind {
        case .sgd: "sgd lr=\(learningRate) momentum=\(momentum) weight_decay=\(weightDecay)"
        case .adam: "adam lr=\(learningRate) beta1=\(beta1) beta2=\(beta2) eps=\(epsilon) weight_decay=\(weightDecay)"
        }
        let rated = standardizedRate.map { "\(words) ws_lr=\($0)" } ?? words
        return plasticity.map { "\(rated) \($0.words)" } ?? rated
    }
}

extension Checkpoint {
    /// The optimizer the checkpoint was saved with (its `optimizer` metadata), nil when it was saved without one.
    public var optimizerSettings: OptimizerSettings? {
        get throws(CheckpointError) {
            guard let text = metadata["optimizer"] else { return nil }
            return try OptimizerSettings(parsing: text, file: path)
        }
    }

    /// The optimizer that continues the saved one: of the saved kind with its hyper-parameters and state (SGD's
    /// momentum buffers, Adam's moments and step count). `kind`, `learningRate` and `momentum`, when given,
    /// override the saved values; a different kind starts without state. Without a saved optimizer,
    /// `fallback` (with the overrides) starts fresh.
    public func restoreOptimizer(kind: OptimizerKind? = nil, learningRate: Float? = nil, momentum: Float? = nil,
                                 fallback: OptimizerSettings) throws(CheckpointError) -> any Optimizer {
        let saved = try optimizerSettings
        var settings = saved ?? fallback
        if let kind, kind != settings.kind { settings = OptimizerSettings(kind: kind, learningRate: settings.learningRate,
                                                                          momentum: settings.momentum,
                                                                          weightDecay: settings.weightDecay,
                                                                          standardizedRate: settings.standardizedRate,
                                                                          plasticity: settings.plasticity) }
        if let learningRate { settings.learningRate = learningRate }
        if let momentum { settings.momentum = momentum }
        let optimizer = settings.make()
        if let saved, saved.kind == settings.kind {
            try optimizer.restore(optimizerState, for: network)
        }
        return optimizer
    }
}

/// A String-named enum read from a file, with an error that lists the names it could have been.
func decodeNamed<T: RawRepresentable & CaseIterable>(_ decoder: any Decoder) throws -> T where T.RawValue == String {
    let container = try decoder.singleValueContainer()
    let name = try container.decode(String.self)
    guard let value = T(rawValue: name) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription:
            "'\(name)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}
