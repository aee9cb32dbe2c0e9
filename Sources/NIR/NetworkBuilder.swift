import SNN
import Tensors

/// Walks an imported chain node by node, collecting the engine's layer words and parameter values (see
/// `NIRImport` for the rules). Weights stay the Floats the file holds; a factor that folds into a layer is
/// multiplied in only when it differs from 1, so an ottt export comes back unchanged.
struct NetworkBuilder {
    private let dt: Double
    private let reset: LIF.Reset
    private let input: [Int]
    private var shape: [Int]
    private var layers: [NetworkSpec.Layer] = []
    private var values: [String: [Float]] = [:]
    /// The factor the next weighted layer's weights take (sum pools, Scale nodes).
    private var pending: Float = 1
    /// A convolution waiting for its neuron: name, weight, bias, output channels.
    private var convolution: (name: String, weight: [Float], bias: [Float], channels: Int)?
    private var neuron: (name: String, tau: Float, threshold: Float)?
    /// The scale of the last neuron while Scale nodes may still follow it (nil elsewhere); the first neuron's
    /// becomes the network's scale, a later neuron's differing scale folds into the next weights.
    private var openScale: Float?
    private var globalScale: Float?
    private var flattened = false
    private var classifier: String?
    private(set) var notes: [String] = []

    init(input: [Int], inputName: String, dt: Double, reset: LIF.Reset) throws(NIRError) {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw .unmappable(node: inputName, reason: "input shape \(input) is not (C, H, W); the engine takes frames")
        }
        self.input = input; shape = input; self.dt = dt; self.reset = reset
    }

    mutating func add(_ node: NIRNode, named name: String) throws(NIRError) {
        func refuse(_ reason: String) -> NIRError { .unmappable(node: name, reason: reason) }
        if let classifier, !node.isOutput { throw refuse("the engine's classifier ('\(classifier)') must be the last layer") }
        if convolution != nil, !node.isNeuron { throw refuse("a \(node.typeName) after a convolution; the engine's convolutions are followed by a spiking neuron") }
        if case .scale = node, openScale != nil {} else { closeScale() }
        switch node {
        case .conv2d(let c):
            guard !flattened, shape.count == 3 else { throw refuse("a convolution after Flatten") }
            let (co, ci) = (c.weight.shape.first ?? 0, shape[0])
            guard c.weight.shape == [co, ci, 3, 3] else { throw refuse("weight \(c.weight.shape), the engine convolves 3×3 kernels from \(ci) channels: [out, \(ci), 3, 3]") }
            guard c.stride == [1, 1], c.padding == [1, 1], c.dilation == [1, 1], c.groups == 1 else {
                throw refuse("stride \(c.stride), padding \(c.padding), dilation \(c.dilation), groups \(c.groups); the engine's convolutions have stride 1, padding 1, dilation 1, one group")
            }
            guard c.inputShape.isEmpty || c.inputShape == [shape[1], shape[2]] else { throw refuse("input_shape \(c.inputShape), but the map here is \(shape[1])×\(shape[2])") }
            guard c.bias.values.count == co else { throw refuse("bias of \(c.bias.values.count) values for \(co) channels") }
            let weight = pending == 1 ? c.weight.values : c.weight.values.map { $0 * pending }
            pending = 1
            convolution = (name, weight, c.bias.values, co)
            shape = [co, shape[1], shape[2]]
        case .lif(let p):
            let threshold = try uniform(p.threshold, "v_threshold", name)
            guard try uniform(p.leak, "v_leak", name) == 0 else { throw refuse("v_leak ≠ 0; the engine's neurons leak to 0") }
            guard try uniform(p.reset, "v_reset", name) == 0 else { throw refuse("v_reset ≠ 0; the engine's neurons reset to 0 or by subtraction") }
            let tau = Double(try uniform(p.tau, "tau", name)), r = Double(try uniform(p.r, "r", name))
            guard tau > 0 else { throw refuse("tau \(tau) is not positive") }
            try addNeuron(name, tauSteps: Float(tau / dt), threshold: threshold, inputFactor: Float(r * dt / tau))
        case let .integrateAndFire(r, threshold, resetValue):
            guard try uniform(resetValue, "v_reset", name) == 0 else { throw refuse("v_reset ≠ 0; the engine's neurons reset to 0 or by subtraction") }
            try addNeuron(name, tauSteps: .infinity, threshold: try uniform(threshold, "v_threshold", name),
                          inputFactor: try uniform(r, "r", name))
        case .scale(let s):
            let value = try uniform(s, "scale", name)
            if let open = openScale { openScale = open * value } else { pending *= value }
        case .sumPool2d(let p), .avgPool2d(let p):
            guard !flattened, shape.count == 3 else { throw refuse("pooling after Flatten") }
            let sum: Bool = if case .sumPool2d = node { true } else { false }
            guard p.padding == [0, 0] else { throw refuse("padding \(p.padding); the engine pools without padding") }
            let (h, w) = (shape[1], shape[2])
            if p.kernel == [2, 2] && p.stride == [2, 2] && h >= 2 && w >= 2 && !(h == 2 && w == 2 && layers.contains(.globalAveragePool)) {
                layers.append(.averagePool2)
                shape = [shape[0], h / 2, w / 2]
            } else if p.kernel == [h, w] {
                guard !layers.contains(.globalAveragePool) else { throw refuse("a second global pooling") }
                layers.append(.globalAveragePool)
                shape = [shape[0], 1, 1]
            } else {
                throw refuse("kernel \(p.kernel), stride \(p.stride) on a \(h)×\(w) map; the engine pools 2×2 with stride 2, or the whole map")
            }
            if sum { pending *= Float(p.kernel[0] * p.kernel[1]) }
        case let .flatten(inputShape, start, end):
            guard !flattened else { throw refuse("a second Flatten") }
            guard start == 0 || (start == 1 && inputShape.count == shape.count + 1) else { throw refuse("start_dim \(start); the engine flattens a whole sample (start_dim 0)") }
            guard end == -1 || end == inputShape.count - 1 else { throw refuse("end_dim \(end); the engine flattens to the end") }
            flattened = true
            shape = [shape.reduce(1, *)]
        case .affine, .linear:
            let (weight, bias): (NIRArray, [Float]?) = switch node {
            case let .affine(w, b): (w, b.values)
            case let .linear(w): (w, nil)
            default: preconditionFailure("not a weighted node")
            }
            let features = shape.reduce(1, *)
            guard flattened || shape.count == 1 || layers.last == .globalAveragePool else { throw refuse("an \(node.typeName) on a \(shape) map without Flatten") }
            guard weight.shape.count == 2, weight.shape[1] == features, weight.shape[0] > 0 else {
                throw refuse("weight \(weight.shape), expected [outputs, \(features)]; the engine's only fully connected layer is the classifier on the flattened map")
            }
            let outputs = weight.shape[0]
            guard bias == nil || bias?.count == outputs else { throw refuse("bias of \(bias?.count ?? 0) values for \(outputs) outputs") }
            values["fc.weight"] = pending == 1 ? weight.values : weight.values.map { $0 * pending }
            values["fc.bias"] = bias ?? [Float](repeating: 0, count: outputs)
            pending = 1
            layers.append(.linear(outputs: outputs))
            classifier = name
            shape = [outputs]
        case .output(let s):
            guard classifier != nil else { throw refuse("the Output follows no Affine or Linear classifier; the engine's last layer is the classifier") }
            guard s.reduce(1, *) == shape.reduce(1, *) else { throw refuse("shape \(s), but the classifier gives \(shape)") }
        case .leakyIntegrator:
            throw refuse("LI (a leaky integrator without spikes) has no counterpart: the engine's output is the classifier's current at each step")
        case .input:
            throw refuse("a second Input")
        case .other(let type):
            throw refuse("node type \(type) has no counterpart in the engine (it maps Conv2d, Affine, Linear, LIF, IF, SumPool2d, AvgPool2d, Flatten, Scale)")
        }
    }

    /// The neuron after the waiting convolution: its input factor folds into that convolution's weight and bias.
    private mutating func addNeuron(_ name: String, tauSteps: Float, threshold: Float, inputFactor: Float) throws(NIRError) {
        guard let conv = convolution else {
            throw .unmappable(node: name, reason: "a neuron that does not follow a convolution; the engine's spiking layers are convolution → neuron")
        }
        guard threshold > 0, threshold.isFinite else { throw .unmappable(node: name, reason: "threshold \(threshold) is not positive") }
        guard tauSteps > 1 else { throw .unmappable(node: name, reason: "tau/dt = \(tauSteps) steps; the engine needs τ > 1 step (dt = \(dt) s; try --dt)") }
        if let first = neuron {
            guard first.tau == tauSteps || abs(first.tau - tauSteps) <= 1e-5 * first.tau else {
                throw .unmappable(node: name, reason: "τ = \(tauSteps) steps differs from '\(first.name)' (\(first.tau)); the engine has one neuron for every layer")
            }
            guard first.threshold == threshold else {
                throw .unmappable(node: name, reason: "threshold \(threshold) differs from '\(first.name)' (\(first.threshold)); the engine has one neuron for every layer")
            }
        } else {
            neuron = (name, tauSteps, threshold)
        }
        let factor: Float = abs(inputFactor - 1) <= 1e-6 ? 1 : inputFactor
        if factor != 1 { notes.append("'\(name)': input scaled by r·dt/τ = \(factor), folded into '\(conv.name)'") }
        let index = layers.filter { if case .conv = $0 { true } else { false } }.count + 1
        let weight = factor == 1 ? conv.weight : conv.weight.map { $0 * factor }
        let bias = factor == 1 ? conv.bias : conv.bias.map { $0 * factor }
        // Rows of zero mean (every convolution ottt exports) standardize back to themselves: sWS with W = Ŵ and
        // the gain that makes it so. Any other convolution stays plain.
        let fanIn = weight.count / conv.channels
        var gains: [Float]? = []
        for o in 0..<conv.channels {
            let (mean, gain, scale) = NetworkBuilder.moments(weight[o * fanIn ..< (o + 1) * fanIn])
            guard abs(mean) <= 1e-4 * max(scale, 1e-30) else {
                notes.append("'\(conv.name)': output channel \(o) has weight mean \(mean) (mean |w| \(scale)): a plain convolution (cp\(conv.channels)), not weight-standardized")
                gains = nil
                break
            }
            gains?.append(gain)
        }
        values["conv\(index).weight"] = weight
        values["conv\(index).bias"] = bias
        if let gains { values["conv\(index).gain"] = gains }
        layers.append(.conv(channels: conv.channels, standardized: gains != nil))
        convolution = nil
        openScale = 1
    }

    /// Ends the Scale nodes after a neuron (see `openScale`).
    private mutating func closeScale() {
        guard let open = openScale else { return }
        openScale = nil
        guard let global = globalScale else { globalScale = open; return }
        if open != global { pending *= open / global }
    }

    /// Mean, sqrt(unbiased variance · n + ε) (the gain that standardizes a zero-mean row to itself) and mean |w|.
    static func moments(_ row: ArraySlice<Float>) -> (mean: Float, gain: Float, scale: Float) {
        let n = Double(row.count)
        var sum = 0.0, magnitude = 0.0
        for w in row { sum += Double(w); magnitude += abs(Double(w)) }
        let mean = sum / n
        var squares = 0.0
        for w in row { let c = Double(w) - mean; squares += c * c }
        let variance = row.count > 1 ? squares / (n - 1) : 0
        return (Float(mean), Float((variance * n + Double(WeightStandardization.epsilon)).squareRoot()), Float(magnitude / n))
    }

    /// The one value of a per-neuron array (heterogeneous arrays are refused).
    private func uniform(_ a: NIRArray, _ field: String, _ node: String) throws(NIRError) -> Float {
        guard let v = a.uniformValue else {
            let (lo, hi) = (a.values.min() ?? 0, a.values.max() ?? 0)
            throw .unmappable(node: node, reason: a.values.isEmpty ? "\(field) is empty" : "heterogeneous \(field) (from \(lo) to \(hi)); the engine's neurons share one value")
        }
        return v
    }

    /// The network with every collected parameter set.
    mutating func finish(dropout: Float, alpha: Float) throws(NIRError) -> Network {
        closeScale()
        guard classifier != nil else { throw .unmappable(node: "output", reason: "the graph has no Affine or Linear classifier before its Output") }
        let neuronValue = LIF(tau: neuron?.tau ?? 2, threshold: neuron?.threshold ?? 1, alpha: alpha, reset: reset)
        let spec = NetworkSpec(input: input, layers: layers, neuron: neuronValue, scale: globalScale ?? 1,
                               dropout: max(0, min(dropout, 0.99)))
        do { try spec.validate() } catch { throw .unmappable(node: classifier ?? "output", reason: "\(error)") }
        let network = Network(spec: spec)
        for p in network.parameters {
            guard let v = values[p.name], v.count == p.value.count else {
                throw .unmappable(node: p.name, reason: "no value of \(p.value.count) numbers was collected for it")
            }
            v.withUnsafeBufferPointer { p.value.data.update(from: $0.baseAddress!, count: v.count) }
        }
        network.parametersDidChange()
        return network
    }
}

extension NIRNode {
    var isNeuron: Bool {
        switch self {
        case .lif, .integrateAndFire: true
        default: false
        }
    }

    var isOutput: Bool { if case .output = self { true } else { false } }
}
