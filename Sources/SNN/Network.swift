import Tensors

/// A spiking network that runs one time step at a time, with its state (membrane potentials, traces, dropout
/// masks) carried between steps until `reset`.
///
/// Typical use, OTTT on one batch (what `Training.OTTTA` does):
///
///     let net = Network(spec: try NetworkSpec(parsing: "2x32x32:c32-a2-c64-a2-fc10"), seed: 1)
///     net.reset(batchSize: 16, mode: .online, training: true)
///     for t in 0..<T {
///         let o = net.step(frames[t])                // [B, classes]
///         net.backwardStep(dLoss_do(o, t))           // ∂L[t]/∂o[t], [B, classes]: this step's OTTT gradient, summed
///     }
///     optimizer.step(net)                            // Training's optimizers: one update from the summed gradients
///
/// A live learner calls `step` once per bin forever; `reset` when the stream restarts. Buffers are allocated by
/// `reset` (when the batch size changes) and at the first steps; afterwards a step allocates nothing (BPTT's tape
/// aside, which grows with T by design).
///
/// Tensors returned by `step` and `backwardStep` belong to the network and are overwritten by the next step.
/// The frame passed to `step` must stay unchanged until that step's `backwardStep` (OTTT reads it as the first
/// layer's presynaptic input).
public final class Network {
    public let spec: NetworkSpec
    /// Every learned tensor, in PyTorch's order: conv1.weight, conv1.bias, conv1.gain (sWS layers only), …,
    /// fc.weight, fc.bias, fc.gain (a normalised classifier only).
    public let parameters: [Parameter]
    /// The batch size the state is shaped for.
    public private(set) var batchSize = 0
    /// What is kept for backward passes.
    public private(set) var mode: GradientMode = .none
    /// Whether dropout masks are drawn (training) or dropout is off (evaluation).
    public private(set) var isTraining = false
    /// Steps taken since the last `reset`.
    public private(set) var time = 0
    /// Called during `backwardStep(_:completesGradients: true)` with each layer's parameters as soon as their
    /// gradients are final (complete, the weight standardization or normalization folded in), last layer first: a data-parallel
    /// trainer starts summing them over ranks while the earlier layers still compute.
    public var onGradientsFinal: (([Parameter]) -> Void)?
    /// One key per sample of the batch, or nil: with keys, sample s's dropout masks are drawn from keys[s] (and
    /// the layer), so they do not depend on the sample's slot in the batch or on the rank that holds it; without,
    /// masks are drawn along the batch from each layer's generator.
    public var dropoutKeys: [UInt64]?
    /// What the classifier passes back to the features it reads (`FeatureGradient`): `full` unless set, as offline
    /// training computes it; the online learner's sessions set `tangent` (`LearningRecipe.featureGradient`).
    public var featureGradient: FeatureGradient {
        get { classifier.featureGradient }
        set { classifier.featureGradient = newValue }
    }

    private let layers: [any Layer]
    private let spiking: [SpikingConvolution]
    private let classifier: Linear
    private var stepGradients: [Tensor] = []

    /// Builds the network with OTTT's initialisation (Kaiming-normal fan-out convolutions, N(0, 0.01²) classifier,
    /// zero biases, unit gains) from `seed`, shaped for batch 1 in inference mode.
    public init(spec: NetworkSpec, seed: UInt64 = 0) {
        precondition((try? spec.validate()) != nil, "invalid network spec \(spec)")
        self.spec = spec
        var generator = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        var spiking: [SpikingConvolution] = []
        var shape = spec.input
        var classifier: Linear?
        let workspace = ConvolutionWorkspace()
        for layer in spec.layers {
            switch layer {
            case .conv(let channels, let standardized):
                let conv = SpikingConvolution(index: spiking.count + 1, inChannels: shape[0], outChannels: channels,
                                              height: shape[1], width: shape[2], standardized: standardized,
                                              neuron: spec.neuron,
                                              scale: spec.scale, dropout: spec.dropout, isFirst: spiking.isEmpty,
                                              seed: generator.next(), workspace: workspace)
                spiking.append(conv); layers.append(conv)
            case .averagePool2:
                layers.append(AveragePooling(channels: shape[0], height: shape[1], width: shape[2]))
            case .globalAveragePool:
                layers.append(GlobalAveragePooling(channels: shape[0], height: shape[1], width: shape[2]))
            case .linear(let outputs, let normalized):
                let fc = Linear(inputShape: shape, outputs: outputs, normalized: normalized, generator: &generator)
                classifier = fc; layers.append(fc)
            }
            shape = layers.last!.outputShape
        }
        self.layers = layers
        self.spiking = spiking
        self.classifier = classifier!
        parameters = spiking.flatMap(\.parameters) + classifier!.parameters
        reset(batchSize: 1, mode: .none, training: false)
    }

    /// The number of learned scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The parameter called `name`, if any.
    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Zeroes the state (membrane potentials, traces; dropout masks are drawn again at the next step) and shapes
    /// it for `batchSize` samples; `mode` says what the following steps keep for backward passes.
    public func reset(batchSize: Int, mode: GradientMode, training: Bool) {
        precondition(batchSize > 0, "batch size \(batchSize)")
        for layer in layers { layer.reset(batch: batchSize, mode: mode) }
        if batchSize != self.batchSize || mode != self.mode { stepGradients = [] }
        self.batchSize = batchSize
        self.mode = mode
        isTraining = training
        time = 0
    }

    /// Zeroes the state for a new sequence, keeping batch size, mode and training flag.
    public func resetState() { reset(batchSize: batchSize, mode: mode, training: isTraining) }

    /// One time step: `frame` [B, C, H, W] in, the classifier's output o[t] [B, classes] out.
    @discardableResult
    public func step(_ frame: Tensor) -> Tensor {
        let sample = spec.input.reduce(1, *)
        precondition(frame.count == batchSize * sample,
                     "frame \(frame.shape) for a batch of \(batchSize) × \(spec.input); call reset(batchSize:) first")
        if time == 0 {
            let keys = dropoutKeys.flatMap { $0.count == batchSize ? $0 : nil }
            for s in spiking { s.drawMask(training: isTraining, keys: keys) }
        }
        var x = SpikesAndTraces(spikes: frame, traces: mode == .online ? frame : nil)
        for layer in layers { x = layer.forward(x, time: time) }
        time += 1
        return x.spikes
    }

    /// OTTT: back-propagates ∂L[t]/∂o[t] [B, classes] through the current step only (earlier potentials are
    /// constants; weight gradients use presynaptic traces) and accumulates into the gradients. Needs `.online`.
    /// `completesGradients`: this is the last backward before the optimizer step (OTTT_A's last step, every step of
    /// OTTT_O); each layer's gradients are then completed and handed to `onGradientsFinal` as soon as they are final.
    public func backwardStep(_ outputGradient: Tensor, completesGradients: Bool = false) {
        precondition(mode == .online, "backwardStep needs mode .online (the network is in \(mode))")
        precondition(time > 0, "backwardStep before any step")
        backward(outputGradient, time: time - 1, completes: completesGradients)
    }

    /// BPTT: back-propagates ∂L[t]/∂o[t] for every step t since `reset` (one [B, classes] tensor per step) through
    /// the unrolled network, with gradients through the potentials across steps (the reset detached), and
    /// accumulates into the gradients. Weight gradients use spikes. Needs `.throughTime`.
    public func backwardThroughTime(_ outputGradients: [Tensor]) {
        precondition(mode == .throughTime, "backwardThroughTime needs mode .throughTime (the network is in \(mode))")
        precondition(outputGradients.count == time, "\(outputGradients.count) output gradients for \(time) steps")
        for t in stride(from: time - 1, through: 0, by: -1) { backward(outputGradients[t], time: t) }
    }

    private func backward(_ g: Tensor, time t: Int, completes: Bool = false) {
        precondition(g.count == batchSize * spec.classes, "output gradient \(g.shape) for [\(batchSize), \(spec.classes)]")
        var gradient: Tensor? = g
        for layer in layers.reversed() {
            guard let current = gradient else { break }
            gradient = layer.backward(current, time: t)
            guard completes, let hook = onGradientsFinal else { continue }
            if let s = layer as? SpikingConvolution {
                s.collectGradients()
                hook(s.parameters)
            } else if let l = layer as? Linear {
                l.collectGradients()
                hook(l.parameters)
            }
        }
    }

    /// Completes the accumulated gradients (the weight standardization's and normalization's backward, done once for
    /// all steps since the last call). Call before reading `Parameter.gradient`; `updateParameters` calls it for you.
    public func collectGradients() {
        for s in spiking { s.collectGradients() }
        classifier.collectGradients()
    }

    /// Zeroes every gradient.
    public func zeroGradients() {
        for p in parameters { p.gradient.zero() }
        for s in spiking { s.standardizedGradient.zero() }
        classifier.zeroNormalizedGradient()
    }

    /// The optimizer's hook: completes the gradients, lets `update` change the parameter values, marks the
    /// standardized and normalized weights for recomputation and zeroes the gradients.
    public func updateParameters(_ update: ([Parameter]) -> Void) {
        collectGradients()
        update(parameters)
        parametersDidChange()
        zeroGradients()
    }

    /// Call after changing parameter values directly (outside `updateParameters`).
    public func parametersDidChange() {
        for s in spiking { s.standardizedIsStale = true }
        classifier.normalizedIsStale = true
    }

    // MARK: State, for inspection and checkpoints

    /// The output of each spiking layer at the last step (after ×scale and dropout): spikes [B, C, H, W] and, in
    /// `.online` mode, traces.
    public var neuronOutputs: [SpikesAndTraces] {
        spiking.map { SpikesAndTraces(spikes: $0.spikes, traces: mode == .online ? $0.traces : nil) }
    }

    /// The state that carries a stream across steps, by name (`lif1.v`, `lif1.trace`, …), for checkpoints.
    public var stateTensors: [(name: String, tensor: Tensor)] {
        spiking.enumerated().flatMap { i, s in
            [(name: "lif\(i + 1).v", tensor: s.membrane), (name: "lif\(i + 1).trace", tensor: s.traces)]
        }
    }

    /// The gradients accumulated since the last update, by name (each parameter's `conv1.weight`, …, the
    /// standardized weights' `lif1.standardized` and a normalised classifier's `fc.normalized` not yet collected
    /// into them), for checkpoints taken between two updates: restoring them continues the sum bit for bit.
    public var gradientTensors: [(name: String, tensor: Tensor)] {
        parameters.map { (name: $0.name, tensor: $0.gradient) }
            + spiking.enumerated().compactMap { i, s in
                s.standardizedGradient.count > 0 ? (name: "lif\(i + 1).standardized", tensor: s.standardizedGradient) : nil
            }
            + (classifier.normalizedGradient.count > 0
                ? [(name: "fc.normalized", tensor: classifier.normalizedGradient)] : [])
    }

    /// The fraction of neurons that fired at the last step, per spiking layer (ignoring dropout).
    public var firingRates: [Double] {
        spiking.map { s in
            let t = s.spikes
            var n = 0
            for i in 0..<t.count where t.data[i] != 0 { n += 1 }
            return Double(n) / Double(max(t.count, 1))
        }
    }

    /// The convolution of each spiking layer, in order, and whether it is the first layer (which convolves its
    /// input frames and makes no input gradient).
    public var convolutions: [(convolution: Convolution, isFirst: Bool)] {
        spiking.map { ($0.convolution, $0.isFirst) }
    }

    /// Multiply-adds of one sample's forward step (convolutions and the classifier).
    public var multiplyAddsPerStep: Int {
        var total = 0
        for layer in layers {
            if let c = layer as? SpikingConvolution {
                total += c.convolution.outChannels * c.convolution.fieldSize * c.convolution.positions
            } else if let l = layer as? Linear {
                total += l.inputs * l.outputs
            }
        }
        return total
    }
}
