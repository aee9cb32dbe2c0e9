import SNN
import Tensors

/// Learning from an endless stream, one time step (bin) at a time, with OTTT: the network's state is carried
/// from step to step and never reset by the learner; every labelled step adds its loss's gradient (through that
/// step only, traces standing in for the past), and every `updateEvery` labelled steps the optimizer updates the
/// weights (1 = OTTT_O; T = OTTT_A over windows of T steps). Memory is constant however long the stream runs.
///
///     let learner = StreamLearner(network: net, optimizer: SGD(learningRate: 0.01), updateEvery: 1)
///     for (frame, label) in stream {                  // frame [1, C, H, W]
///         let p = learner.step(frame, label: label)   // label nil: predict only
///         print(p.prediction, p.confidence)
///     }
public final class StreamLearner {
    public let network: Network
    public let optimizer: any Optimizer
    /// Labelled steps per optimizer update.
    public let updateEvery: Int
    /// The per-step loss; `steps` is `updateEvery`, so a window's summed loss has the scale of OTTT_A's.
    public let loss: StepLoss
    /// The decayed running sum of outputs that the prediction is read from.
    public let accumulator: OutputAccumulator
    private let gradient: Tensor
    private var labelBuffer: [Int]
    private var pending = 0

    /// What one step gave.
    public struct Prediction: Sendable {
        /// The argmax of the decayed running output sum.
        public var prediction: Int
        /// softmax of the running sum at `prediction`.
        public var confidence: Float
        /// This step's loss, when the step was labelled.
        public var loss: Float?
        /// Whether the weights were updated after this step.
        public var updated: Bool
    }

    /// Puts `network` in online mode for `batchSize` streams (its state is zeroed) with dropout as `training`.
    public init(network: Network, optimizer: any Optimizer, updateEvery: Int = 1, gamma: Float = 0.001,
                outputDecay: Float = 0.9, batchSize: Int = 1, training: Bool = true) {
        precondition(updateEvery > 0, "updateEvery \(updateEvery)")
        self.network = network; self.optimizer = optimizer; self.updateEvery = updateEvery
        loss = StepLoss(gamma: gamma, steps: updateEvery)
        accumulator = OutputAccumulator(batch: batchSize, classes: network.spec.classes, decay: outputDecay)
        gradient = Tensor(shape: [batchSize, network.spec.classes])
        labelBuffer = [Int](repeating: 0, count: batchSize)
        network.reset(batchSize: batchSize, mode: .online, training: training)
    }

    /// One time step of a single stream: forward, and when `label` is given the step's gradient (and an update
    /// every `updateEvery` labelled steps). Allocates nothing after the first step.
    @discardableResult
    public func step(_ frame: Tensor, label: Int?) -> Prediction {
        precondition(accumulator.sum.shape[0] == 1, "step(_:label:) is for batch size 1; use step(_:labels:)")
        if let label { labelBuffer[0] = label }
        let (loss, updated) = advance(frame, labelled: label != nil)
        let p = accumulator.prediction(sample: 0)
        return Prediction(prediction: p, confidence: accumulator.confidence(sample: 0, class: p), loss: loss, updated: updated)
    }

    /// One time step for every stream of the batch; `labels` has one label per stream, or is nil.
    public func step(_ frame: Tensor, labels: [Int]?) -> [Prediction] {
        if let labels {
            precondition(labels.count == labelBuffer.count, "\(labels.count) labels for \(labelBuffer.count) streams")
            labelBuffer = labels
        }
        let (loss, updated) = advance(frame, labelled: labels != nil)
        return (0..<labelBuffer.count).map { s in
            let p = accumulator.prediction(sample: s)
            return Prediction(prediction: p, confidence: accumulator.confidence(sample: s, class: p), loss: loss, updated: updated)
        }
    }

    private func advance(_ frame: Tensor, labelled: Bool) -> (loss: Float?, updated: Bool) {
        let o = network.step(frame)
        accumulator.add(o)
        guard labelled else { return (nil, false) }
        let stepLoss = loss.evaluate(o, labels: labelBuffer, gradient: gradient)
        network.backwardStep(gradient)
        pending += 1
        guard pending == updateEvery else { return (stepLoss, false) }
        optimizer.step(network)
        pending = 0
        return (stepLoss, true)
    }

    /// Zeroes the neuron state, traces and running outputs (a new stream); pending gradients are dropped.
    public func resetStream() {
        network.resetState()
        network.zeroGradients()
        accumulator.reset()
        pending = 0
    }
}
