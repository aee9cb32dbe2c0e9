import SNN
import Tensors

/// A NIR graph as an engine network: a chain `Input → (Conv2d → LIF|IF [→ Scale] [→ SumPool2d|AvgPool2d])* →
/// [global pool] → Flatten → Affine|Linear → Output`, the inverse of `NIRExport`.
///
/// - A `Conv2d` must be 3×3, stride 1, padding 1, dilation 1, one group, and its weight rows must have zero mean
///   (every graph `NIRExport` writes): it becomes the engine's weight-standardized convolution with W = Ŵ and
///   gain = sqrt(var(Ŵ)·fan_in + ε), which standardizes back to Ŵ. A convolution with a row of non-zero mean
///   becomes a plain convolution (`cpN`) with its weights as they are.
/// - `LIF(tau, r, v_leak = 0, v_threshold, v_reset = 0)` becomes τ_steps = tau/dt with the input scaled by
///   r·dt/tau (folded into the convolution before it); `IF` becomes τ = ∞ with the input scaled by r. Every neuron
///   of the graph must share τ and threshold (the engine has one neuron).
/// - Pooling 2×2 becomes `a2`, pooling over the whole map `gap`; a sum pool's k² and every `Scale` fold into the
///   next layer's weights, except a `Scale` common to all neurons, which becomes the network's scale.
/// - `reset` chooses how the neurons reset (NIR says v ← v_reset; a graph exported by ottt means subtraction).
/// - What the engine cannot represent is refused with the node's name and why.
public struct NIRImport {
    public struct Options: Sendable {
        /// nil takes the graph's `metadata/reset` (what ottt writes), else `.zero` (NIR's v ← v_reset).
        public var reset: LIF.Reset? = nil
        /// Seconds per step; nil takes the graph's `metadata/dt`, else 1e-4.
        public var dt: Double? = nil
        public init(reset: LIF.Reset? = nil, dt: Double? = nil) { self.reset = reset; self.dt = dt }
    }

    public let network: Network
    /// Facts worth telling the user (the dt used, what was folded), one sentence each.
    public let notes: [String]

    public init(graph: NIRGraph, options: Options = Options()) throws(NIRError) {
        let reset = options.reset ?? graph.metadata["reset"].flatMap(LIF.Reset.init(rawValue:)) ?? .zero
        let dt = options.dt ?? graph.metadata["dt"].flatMap(Double.init) ?? 1e-4
        guard dt > 0, dt.isFinite else { throw .unmappable(node: "metadata/dt", reason: "dt \(dt) is not a positive time") }
        let (inputName, chain) = try NIRImport.chain(graph)
        guard case .input(let inputShape) = graph.nodes[inputName] else { preconditionFailure("chain starts at an Input") }
        var builder = try NetworkBuilder(input: inputShape, inputName: inputName, dt: dt, reset: reset)
        for name in chain {
            guard let node = graph.nodes[name] else { continue }
            try builder.add(node, named: name)
        }
        let metadata = graph.metadata
        let dropout = metadata["source"] == "ottt" ? metadata["dropout"].flatMap(Float.init) ?? 0 : 0
        let alpha = metadata["surrogate_alpha"].flatMap(Float.init) ?? LIF().alpha
        network = try builder.finish(dropout: dropout, alpha: alpha)
        var notes = ["time step dt = \(dt) s; neurons: τ = \(network.spec.neuron.tau) steps, threshold \(network.spec.neuron.threshold), reset by \(reset == .subtract ? "subtraction" : "setting to zero")"]
        if reset == .zero && metadata["reset"] == "subtract" {
            notes.append("the graph says its neurons reset by subtraction (metadata reset=subtract); --reset zero changes its outputs")
        }
        notes += builder.notes
        self.notes = notes
    }

    /// The nodes from the Input to the Output, in order; refuses branches, cycles and stray nodes by name.
    static func chain(_ graph: NIRGraph) throws(NIRError) -> (input: String, chain: [String]) {
        let inputs = graph.nodes.filter { if case .input = $0.value { true } else { false } }.keys.sorted()
        let outputs = graph.nodes.filter { if case .output = $0.value { true } else { false } }.keys.sorted()
        guard inputs.count == 1 else { throw .unmappable(node: inputs.joined(separator: ", "), reason: "the graph has \(inputs.count) Input nodes, the engine takes one") }
        guard outputs.count == 1 else { throw .unmappable(node: outputs.joined(separator: ", "), reason: "the graph has \(outputs.count) Output nodes, the engine gives one") }
        var next: [String: [String]] = [:], incoming: [String: Int] = [:]
        for e in graph.edges {
            for end in [e.source, e.target] where graph.nodes[end] == nil {
                throw .unmappable(node: end, reason: "an edge \(e.source) → \(e.target) names a node the graph does not have")
            }
            next[e.source, default: []].append(e.target)
            incoming[e.target, default: 0] += 1
        }
        var order = [inputs[0]], seen: Set<String> = [inputs[0]]
        while let last = order.last, last != outputs[0] {
            let targets = next[last] ?? []
            if let back = targets.first(where: seen.contains) {
                throw .unmappable(node: last, reason: "recurrent edge \(last) → \(back); the engine has no recurrence")
            }
            guard targets.count == 1 else {
                throw .unmappable(node: last, reason: targets.isEmpty ? "no edge leads on from it to the Output" : "it feeds \(targets.count) nodes (\(targets.joined(separator: ", "))); the engine runs a chain")
            }
            let target = targets[0]
            guard incoming[target, default: 0] == 1 else {
                // A second edge into the target from a node downstream of it closes a loop.
                var reachable: Set<String> = [], stack = [target]
                while let n = stack.popLast() { for m in next[n] ?? [] where reachable.insert(m).inserted { stack.append(m) } }
                if let back = graph.edges.first(where: { $0.target == target && reachable.contains($0.source) }) {
                    throw .unmappable(node: back.source, reason: "recurrent edge \(back.source) → \(target); the engine has no recurrence")
                }
                throw .unmappable(node: target, reason: "it has \(incoming[target, default: 0]) incoming edges; the engine runs a chain")
            }
            order.append(target); seen.insert(target)
        }
        if next[outputs[0]] != nil { throw .unmappable(node: outputs[0], reason: "an edge leaves the Output") }
        if let stray = graph.nodes.keys.sorted().first(where: { !seen.contains($0) }) {
            throw .unmappable(node: stray, reason: "not on the path from \(inputs[0]) to \(outputs[0])")
        }
        return (inputs[0], Array(order.dropFirst()))
    }
}
