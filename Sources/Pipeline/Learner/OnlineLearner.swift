import Training

/// A network that the pipeline steps once per bin, forward in time, and that learns from the current step's label.
///
/// The pipeline knows nothing of layers or optimizers: Training's `OnlineOTTTLearner` is the engine's,
/// and tests use small learners of their own. A learner is used from one thread at a time.
public protocol OnlineLearner: AnyObject {
    /// One input, [C, H, W].
    var inputShape: [Int] { get }
    var classes: Int { get }

    /// One time step on `input` (C·H·W values), the state carried from the previous step; returns o[t] [classes].
    func step(_ input: [Float]) -> [Float]

    /// Learns from `label` at the step just taken (OTTT_O: the gradient of this step's loss, then one update).
    /// When the update would leave a NaN or Inf anywhere, the learner keeps its previous weights and says so.
    func learn(label: Int) -> LearnOutcome

    /// Forgets the neuron state (potentials, traces); the weights stay.
    func resetState()

    /// The fraction of neurons that fired at the last step, per spiking layer.
    var spikeRates: [Double] { get }

    /// Whether the output comes from a class memory now (a new class engaged it), not the classifier.
    var memoryEngaged: Bool { get }

    /// Saves weights, optimizer state and neuron state, with `metadata` (strings), atomically.
    func saveCheckpoint(to path: String, metadata: [String: String]) throws
    /// Restores what `saveCheckpoint` saved; returns its metadata.
    func loadCheckpoint(from path: String) throws -> [String: String]
}

extension OnlineLearner {
    public var memoryEngaged: Bool { false }
}

/// What one learning step did (Training's type: the engine's learner and the pipeline speak the same words).
public typealias LearnOutcome = Training.LearnOutcome
