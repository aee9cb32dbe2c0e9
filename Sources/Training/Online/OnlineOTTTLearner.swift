import SNN
import Tensors

/// The online OTTT learner: a `Network` stepped once per time step (bin) of an endless stream, state carried from
/// step to step (online mode: traces kept), learning from each labelled step's loss (`StepLoss`, T = 1) through
/// that step only. When the optimizer steps is the `UpdateSchedule`: after every labelled step (OTTT_O) or once per
/// labelled segment (OTTT_A over the stretch, at most `maxSegmentSteps` steps long — the sessions' default, with
/// Adam). Memory is constant however long the stream.
///
///     let learner = OnlineOTTTLearner(network: net, optimizer: SGD(learningRate: 0.01))
///     for (values, label) in stream {                       // values: one input [C, H, W]
///         let o = learner.step(values)                        // o[t], [classes]
///         if let label { _ = learner.learn(label: label) }
///     }
///
/// Dropout is off in a stream (there are no samples to draw masks for), which also keeps replays deterministic.
/// Before every update the weights are copied; if the loss or any updated weight is not finite the copy is put
/// back and `learn` reports it (`LearnOutcome.nonFinite`). The Pipeline module runs it as its `OnlineLearner`.
public final class OnlineOTTTLearner {
    public internal(set) var network: Network
    public let optimizer: any Optimizer
    public let loss: StepLoss
    public let schedule: UpdateSchedule
    /// Per segment: an update is made at the latest after this many labelled steps (nil: only when the label
    /// changes or the state is reset), so that a label held for minutes still teaches every so often.
    public let maxSegmentSteps: Int?
    private let input: Tensor                    // [1, C, H, W]
    private let gradient: Tensor                 // [1, classes]
    var output: Tensor?
    private var lastGood: [[Float]] = []
    /// Per segment: the label whose gradients are accumulated and not applied yet, and a failed update to report.
    var pendingLabel: Int?
    var pendingSteps = 0
    var pendingFailure: String?
    /// Remembering classes taught earlier (nil: off): per-class prototypes of the last spiking layer's traces,
    /// which make the output while the memory is engaged, and convolutions held meanwhile.
    public var classMemory: ClassMemory? {
        didSet {
            if let memory = classMemory { prototypes?.window = memory.window } else { prototypes = nil }
            if case .onNewClass? = classMemory?.engagement {} else { watch = nil }
        }
    }
    /// With a memory that a new class engages, when each class was last taught (restored from a checkpoint before
    /// the memory is switched on, it is kept when it is).
    public internal(set) var watch: ClassWatch?
    /// Whether the prototypes make the output now.
    public var memoryEngaged: Bool {
        switch classMemory?.engagement {
        case .always?: true
        case .onNewClass?: watch?.engaged ?? false
        case nil: false
        }
    }
    /// With a class memory, its prototypes (restored from a checkpoint before the memory is switched on, they are
    /// kept when it is).
    public internal(set) var prototypes: ClassPrototypes?
    /// The first n updates' steps are scaled by updates / n (nil: no warm-up).
    public var warmUp: Int?
    /// Optimizer updates made.
    public internal(set) var updates = 0

    /// When the optimizer steps.
    public enum UpdateSchedule: String, Sendable, Equatable, Codable {
        /// OTTT_O: one update after every labelled step (bin), from that step's loss.
        case everyStep = "bin"
        /// OTTT_A over a labelled segment: the steps' gradients (each still from that step alone, traces standing in
        /// for the past) are summed while the label stays the same, and one update is made when the state is reset
        /// (the end of a sample), the label changes, or the segment reaches its cap. Forward in time, no history kept.
        case perSegment = "segment"

        /// `bin` or `segment`, and the words older versions used (`step`, `sample`).
        public init?(naming word: String) {
            switch word {
            case "bin", "step": self = .everyStep
            case "segment", "sample": self = .perSegment
            default: return nil
            }
        }
    }

    /// A learner on `network` (its state is zeroed and put in online mode for one stream).
    public convenience init(network: Network, optimizer: any Optimizer, gamma: Float = 0.001,
                            schedule: UpdateSchedule = .everyStep, maxSegmentSteps: Int? = nil) {
        self.init(adopting: network, optimizer: optimizer, gamma: gamma, schedule: schedule,
                  maxSegmentSteps: maxSegmentSteps)
        network.reset(batchSize: 1, mode: .online, training: false)
    }

    /// A learner restored from an engine checkpoint: weights, neuron state when saved, and the optimizer it was
    /// saved with (its kind, hyper-parameters and state, through `Checkpoint.restoreOptimizer`). `optimizer`,
    /// `learningRate` and `momentum` override the saved values when given; a checkpoint saved without an optimizer
    /// continues with `fallback` (with the overrides).
    public convenience init(checkpoint path: String, optimizer kind: OptimizerKind? = nil, learningRate: Float? = nil,
                            momentum: Float? = nil, gamma: Float = 0.001, schedule: UpdateSchedule = .everyStep,
                            maxSegmentSteps: Int? = nil,
                            fallback: OptimizerSettings = OptimizerSettings(kind: .adam, learningRate: 0.001)) throws {
        let saved = try Checkpoint.load(from: path)
        let optimizer = try saved.restoreOptimizer(kind: kind, learningRate: learningRate, momentum: momentum,
                                                   fallback: fallback)
        if !saved.hasState { saved.network.reset(batchSize: 1, mode: .online, training: false) }
        self.init(adopting: saved.network, optimizer: optimizer, gamma: gamma, schedule: schedule,
                  maxSegmentSteps: maxSegmentSteps)
        try restoreLearnerState(saved)
    }

    private init(adopting network: Network, optimizer: any Optimizer, gamma: Float, schedule: UpdateSchedule,
                 maxSegmentSteps: Int?) {
        precondition(maxSegmentSteps.map { $0 > 0 } ?? true, "a segment cap of \(maxSegmentSteps ?? 0) steps")
        self.network = network
        self.optimizer = optimizer
        self.schedule = schedule
        self.maxSegmentSteps = maxSegmentSteps
        loss = StepLoss(gamma: gamma, steps: 1)
        input = Tensor(shape: [1] + network.spec.input)
        gradient = Tensor(shape: [1, network.spec.classes])
    }

    /// One input, [C, H, W].
    public var inputShape: [Int] { network.spec.input }
    public var classes: Int { network.spec.classes }

    /// One time step on `values` (C·H·W values), the state carried from the previous step; returns o[t] [classes],
    /// or while a class memory is engaged each class's prototype score.
    public func step(_ values: [Float]) -> [Float] {
        precondition(values.count == input.count, "an input of \(values.count) values for \(network.spec.input)")
        values.withUnsafeBufferPointer { input.data.update(from: $0.baseAddress!, count: values.count) }
        let o = network.step(input)
        output = o
        guard let memory = classMemory, let f = features else { return o.values }
        if prototypes?.features != f.count {
            prototypes = ClassPrototypes(classes: classes, features: f.count, window: memory.window)
        }
        guard memoryEngaged else { return o.values }
        return prototypes?.scores(UnsafeBufferPointer(f)) ?? o.values
    }

    /// The traces of the last spiking layer at the last step (what the classifier reads, before its pooling).
    private var features: UnsafeMutableBufferPointer<Float>? {
        network.neuronOutputs.last?.traces?.buffer
    }

    /// Learns from `label` at the step just taken: this step's gradient, then an update now (every step) or at the
    /// segment's end (per segment).
    public func learn(label: Int) -> LearnOutcome {
        guard let output else { preconditionFailure("learn before any step") }
        var failure = pendingFailure
        pendingFailure = nil
        if let pending = pendingLabel, pending != label, failure == nil { failure = update() }
        if prototypes != nil, let f = features { prototypes?.add(UnsafeBufferPointer(f), to: label) }
        if case let .onNewClass(after, recent, _)? = classMemory?.engagement {
            if watch?.last.count != classes { watch = ClassWatch(classes: classes, since: updates) }
            watch?.taught(label, updates: updates, after: after, recent: recent)
        }
        let l = loss.evaluate(output, labels: [label], gradient: gradient)
        guard l.isFinite else {
            network.zeroGradients()
            pendingLabel = nil
            pendingSteps = 0
            return .nonFinite("loss \(l) for label \(label)")
        }
        network.backwardStep(gradient)
        switch schedule {
        case .everyStep: if failure == nil { failure = update() }
        case .perSegment:
            pendingLabel = label
            pendingSteps += 1
            if let cap = maxSegmentSteps, pendingSteps >= cap, failure == nil {
                failure = update()                 // the segment goes on; its next update sums from here
            }
        }
        if let failure {
            network.zeroGradients()
            pendingLabel = nil
            pendingSteps = 0
            return .nonFinite(failure)
        }
        return .learned(loss: l)
    }

    /// One optimizer step from the accumulated gradients, undone when it leaves a weight that is not finite;
    /// returns where that happened.
    private func update() -> String? {
        pendingLabel = nil
        pendingSteps = 0
        if lastGood.isEmpty { lastGood = network.parameters.map { $0.value.values } }
        for (copy, p) in zip(lastGood.indices, network.parameters) {
            lastGood[copy].withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: p.value.data, count: p.value.count) }
        }
        optimizer.step(network)
        for (i, p) in network.parameters.enumerated() {
            let v = p.value.data
            for j in 0..<p.value.count where !v[j].isFinite {
                for (copy, q) in zip(lastGood, network.parameters) {
                    copy.withUnsafeBufferPointer { q.value.data.update(from: $0.baseAddress!, count: q.value.count) }
                }
                network.parametersDidChange()
                return "\(p.name)[\(j)] became \(v[j]) (parameter \(i + 1) of \(network.parameters.count))"
            }
        }
        updates += 1
        var all: Float = 1, convolutions: Float = 1
        if let w = warmUp, updates < w { all = Float(updates) / Float(w) }
        switch classMemory?.engagement {
        case .always(let n)? where updates > n: convolutions = Float(n) / Float(updates)
        case .onNewClass(_, _, let held)? where watch?.engaged == true: convolutions = held
        default: break
        }
        if all != 1 || convolutions != 1 {
            for (copy, p) in zip(lastGood, network.parameters) {
                let c = p.name.hasPrefix("fc.") ? all : all * convolutions
                guard c != 1 else { continue }
                copy.withUnsafeBufferPointer { old in
                    for j in 0..<p.value.count { p.value.data[j] = old[j] + c * (p.value.data[j] - old[j]) }
                }
            }
            network.parametersDidChange()
        }
        return nil
    }

    /// Forgets the neuron state (potentials, traces); the weights stay. Per segment, this ends the segment: its
    /// update is made first.
    public func resetState() {
        if pendingLabel != nil { pendingFailure = update() }
        network.resetState()
        network.zeroGradients()
    }

    /// The fraction of neurons that fired at the last step, per spiking layer.
    public var spikeRates: [Double] { network.firingRates }
}

/// Why an online learner could not load a checkpoint.
public enum OnlineLearnerError: Error, CustomStringConvertible {
    case checkpoint(CheckpointError)
    /// The checkpoint holds another network than the learner's.
    case otherNetwork(file: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .checkpoint(let e): "\(e)"
        case let .otherNetwork(file, expected, found): "\(file): expected a checkpoint of \(expected), found \(found)"
        }
    }
}
