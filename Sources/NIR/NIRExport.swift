import SNN
import Tensors

/// The engine's network as a NIR graph `input → conv1 → lif1 → … → flatten → fc → output`.
///
/// | engine                                   | NIR                                                          |
/// |------------------------------------------|--------------------------------------------------------------|
/// | sWS convolution 3×3, padding 1, bias     | `Conv2d` with Ŵ = gain·(W − mean)/sqrt(var·fan_in + ε)       |
/// | plain convolution (`cpN`)                | `Conv2d` with W as it is                                      |
/// | LIF (τ steps, input not decayed, θ)      | `LIF(tau = τ·dt, r = τ, v_leak = 0, v_threshold = θ, v_reset = 0)` per neuron |
/// | IF (τ = ∞)                               | `IF(r = 1, v_threshold = θ, v_reset = 0)`                    |
/// | ×scale after each neuron                 | folded into the next weights (or `Scale`)                    |
/// | `a2` average pooling                     | `SumPool2d(2, 2)` with 1/4 folded into the next weights (or `AvgPool2d`) |
/// | `gap` global average pooling             | `SumPool2d(H×W)` with 1/(H·W) folded (or `AvgPool2d`)         |
/// | flatten, classifier                      | `Flatten(start_dim 0)`, `Affine`                              |
/// | normalised classifier (`fcnN`)           | `Affine` with Ŵ = gain·W/‖W‖ per row (imports as `fcN`)      |
/// | dropout                                  | dropped (inference)                                           |
///
/// What NIR cannot say goes into the graph's metadata and `lossyPoints`: the reset by subtraction and the
/// threshold compare (the engine fires on v ≥ θ, NIR on v > θ).
public struct NIRExport {
    public struct Options: Sendable {
        /// Seconds per time step (1e-4, snnTorch's and SpikingJelly's default).
        public var dt: Double = 1e-4
        /// Keep `Scale` and `AvgPool2d` nodes instead of folding them into the next layer's weights.
        public var keepScaleNodes = false
        public init(dt: Double = 1e-4, keepScaleNodes: Bool = false) { self.dt = dt; self.keepScaleNodes = keepScaleNodes }
    }

    /// The graph.
    public let graph: NIRGraph
    /// What the graph cannot say exactly, one sentence each (for stderr).
    public let lossyPoints: [String]

    public init(network: Network, options: Options = Options()) throws(NIRError) {
        guard options.dt > 0, options.dt.isFinite else { throw .unexportable("dt \(options.dt) is not a positive time") }
        let spec = network.spec
        let neuron = spec.neuron
        var nodes: [String: NIRNode] = [:]
        var chain: [String] = ["input"]
        nodes["input"] = .input(shape: spec.input)
        var shape = spec.input          // [C, H, W] or [C] after gap
        var factor: Float = 1           // pending scale for the next weighted layer
        var (convs, pools) = (0, 0)
        func add(_ name: String, _ node: NIRNode) { nodes[name] = node; chain.append(name) }
        func parameter(_ name: String) throws(NIRError) -> Tensor {
            guard let p = network.parameter(name) else { throw .unexportable("the network has no parameter \(name)") }
            return p.value
        }
        for layer in spec.layers {
            switch layer {
            case .conv(let channels, let isStandardized):
                convs += 1
                let (w, b) = (try parameter("conv\(convs).weight"), try parameter("conv\(convs).bias"))
                var weight = w.values
                if isStandardized {
                    let g = try parameter("conv\(convs).gain")
                    weight.withUnsafeMutableBufferPointer { out in
                        WeightStandardization.forward(weight: w.data, gain: g.data, channels: channels,
                                                      fanIn: shape[0] * 9, into: out.baseAddress!)
                    }
                }
                if factor != 1 { weight = weight.map { $0 * factor } }
                add("conv\(convs)", .conv2d(.init(inputShape: [shape[1], shape[2]],
                                                  weight: NIRArray(shape: w.shape, values: weight),
                                                  stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1,
                                                  bias: NIRArray(shape: [channels], values: b.values))))
                shape = [channels, shape[1], shape[2]]
                add("lif\(convs)", NIRExport.neuronNode(neuron, shape: shape, dt: options.dt))
                if options.keepScaleNodes {
                    if spec.scale != 1 { add("scale\(convs)", .scale(NIRArray(shape: shape, repeating: spec.scale))) }
                    factor = 1
                } else {
                    factor = spec.scale
                }
            case .averagePool2, .globalAveragePool:
                pools += 1
                let global = layer == .globalAveragePool
                let kernel = global ? [shape[1], shape[2]] : [2, 2]
                let pool = NIRNode.Pool2d(kernel: kernel, stride: kernel, padding: [0, 0])
                if options.keepScaleNodes {
                    add(global ? "gap" : "pool\(pools)", .avgPool2d(pool))
                } else {
                    add(global ? "gap" : "pool\(pools)", .sumPool2d(pool))
                    factor /= Float(kernel[0] * kernel[1])
                }
                shape = [shape[0], shape[1] / kernel[0], shape[2] / kernel[1]]
            case .linear(let outputs, let isNormalized):
                let w = try parameter("fc.weight"), b = try parameter("fc.bias")
                add("flatten", .flatten(inputShape: shape, startDimension: 0, endDimension: -1))
                let features = shape.reduce(1, *)
                var weight = w.values
                if isNormalized {
                    let g = try parameter("fc.gain")
                    weight.withUnsafeMutableBufferPointer { out in
                        WeightNormalization.forward(weight: w.data, gain: g.data, rows: outputs, fanIn: features,
                                                    into: out.baseAddress!)
                    }
                }
                if factor != 1 { weight = weight.map { $0 * factor } }
                add("fc", .affine(weight: NIRArray(shape: [outputs, features], values: weight),
                                  bias: NIRArray(shape: [outputs], values: b.values)))
                shape = [outputs]
            }
        }
        add("output", .output(shape: shape))
        let edges = zip(chain, chain.dropFirst()).map { NIRGraph.Edge($0, $1) }
        let tauSteps = neuron.tau.isFinite ? "\(neuron.tau)" : "inf"
        let metadata = [
            "source": "ottt",
            "spec": spec.description,
            "reset": neuron.reset.rawValue,
            "threshold_compare": "greater_or_equal",
            "dt": "\(options.dt)",
            "tau_steps": tauSteps,
            "scale": "\(spec.scale)",
            "scale_folded": options.keepScaleNodes ? "false" : "true",
            "dropout": "\(spec.dropout)",
            "surrogate_alpha": "\(neuron.alpha)",
        ]
        graph = NIRGraph(nodes: nodes, edges: edges, metadata: metadata)
        var lossy = ["threshold: ottt fires on v ≥ \(neuron.threshold), NIR on v > \(neuron.threshold)"]
        if neuron.reset == .subtract {
            lossy.insert("reset: ottt's neurons reset by subtracting the threshold; NIR only says v ← v_reset = 0 (metadata reset=subtract; import with --reset subtract to keep it)", at: 0)
        }
        if spec.dropout > 0 { lossy.append("dropout \(spec.dropout) is dropped (inference only)") }
        lossyPoints = lossy
    }

    /// `LIF(tau = τ·dt, r = τ, v_leak = 0, v_threshold = θ, v_reset = 0)`, or `IF` for τ = ∞, per neuron.
    static func neuronNode(_ neuron: LIF, shape: [Int], dt: Double) -> NIRNode {
        let threshold = NIRArray(shape: shape, repeating: neuron.threshold), zero = NIRArray(shape: shape, repeating: 0)
        guard neuron.tau.isFinite else {
            return .integrateAndFire(r: NIRArray(shape: shape, repeating: 1), threshold: threshold, reset: zero)
        }
        return .lif(.init(tau: NIRArray(shape: shape, repeating: Float(Double(neuron.tau) * dt)),
                          r: NIRArray(shape: shape, repeating: neuron.tau), leak: zero, threshold: threshold, reset: zero))
    }
}
