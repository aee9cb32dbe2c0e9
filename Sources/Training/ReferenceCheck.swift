import Foundation
import SNN
import Tensors

/// Runs the engine on a reference file written by the official PyTorch code (layout in docs/OTTT.md: `input`, `label`,
/// `init.<param>`, `ottt.*`, `ottt_a.grad.*`, `ottt_o.*`, `bptt.*`, metadata `spec`) and compares every tensor.
///
/// Agreement is numpy's `allclose`: |ours − ref| ≤ atol + rtol · |ref| element-wise, with the file's tolerance.
public struct ReferenceCheck {
    /// One compared tensor.
    public struct Comparison: Sendable {
        public var name: String
        public var group: String
        /// The largest |ours − ref|.
        public var maxAbsolute: Float
        /// The largest |ours − ref| / |ref| over elements with |ref| ≥ atol.
        public var maxRelative: Float
        /// Elements outside the tolerance.
        public var failures: Int
        /// The worst element's flat index, our value and the reference value.
        public var worst: (index: Int, ours: Float, reference: Float)
        public var passed: Bool { failures == 0 }
    }

    public let file: String
    public let spec: NetworkSpec
    public let steps: Int
    public let batch: Int
    public let rtol: Float, atol: Float
    public let learningRate: Float, momentum: Float, weightDecay: Float
    public let gamma: Float
    private let reference: SafeTensors
    private let frames: [Tensor]
    private let labels: [Int]

    /// Reads the file and its `spec`; throws when either is unusable.
    public init(path: String) throws(ReferenceError) {
        file = path
        do { reference = try SafeTensors.read(path: path) } catch { throw .file(error) }
        guard let text = reference.metadata["spec"], let data = text.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .badSpec(file: path, problem: "metadata 'spec' is absent or not a JSON object")
        }
        guard let network = json["network"] as? [String: Any],
              let input = (network["input"] as? [NSNumber])?.map(\.intValue), input.count == 3,
              let convs = network["convs"] as? [Any], let classes = (network["classes"] as? NSNumber)?.intValue
        else { throw .badSpec(file: path, problem: "spec.network needs input [C,H,W], convs and classes") }
        var layers: [NetworkSpec.Layer] = []
        for c in convs {
            if let n = c as? NSNumber, !(c is String) { layers.append(.conv(channels: n.intValue)) }
            else if c as? String == "M" { layers.append(.averagePool2) }
            else { throw .badSpec(file: path, problem: "spec.network.convs entry \(c) is neither a number nor \"M\"") }
        }
        layers += [.globalAveragePool, .linear(outputs: classes)]
        let lif = json["lif"] as? [String: Any] ?? [:]
        let tau = (lif["tau"] as? NSNumber)?.floatValue ?? 2
        let threshold = (lif["v_threshold"] as? NSNumber)?.floatValue ?? 1
        let alpha = Self.number(after: "alpha=", in: lif["surrogate"] as? String) ?? 4
        let scale = Self.number(after: "Scale(", in: network["after each conv"] as? String) ?? 2.74
        spec = NetworkSpec(input: input, layers: layers, neuron: LIF(tau: tau, threshold: threshold, alpha: alpha),
                           scale: scale, dropout: 0)
        do { try spec.validate() } catch { throw .badSpec(file: path, problem: error.problem) }
        gamma = Self.number(after: "l=", in: json["loss"] as? String) ?? 0.001
        let o = json["ottt_o"] as? [String: Any] ?? [:]
        learningRate = (o["lr"] as? NSNumber)?.floatValue ?? 0
        momentum = (o["momentum"] as? NSNumber)?.floatValue ?? 0
        weightDecay = (o["weight_decay"] as? NSNumber)?.floatValue ?? 0
        let tol = json["tolerance"] as? [String: Any] ?? [:]
        rtol = (tol["rtol"] as? NSNumber)?.floatValue ?? 1e-4
        atol = (tol["atol"] as? NSNumber)?.floatValue ?? 1e-5
        let x: Tensor
        do {
            x = try reference.tensor("input")
            labels = try reference.integers("label")
        } catch { throw .file(error) }
        guard x.shape.count == 5, Array(x.shape[2...]) == input, x.shape[1] == labels.count else {
            throw .badSpec(file: path, problem: "input \(x.shape) is not [T, B, \(input)] with B = \(labels.count) labels")
        }
        steps = x.shape[0]; batch = x.shape[1]
        let frameCount = batch * input.reduce(1, *)
        frames = (0..<steps).map { t in
            let f = Tensor(shape: [x.shape[1]] + input)
            f.data.update(from: x.data + t * frameCount, count: frameCount)
            return f
        }
    }

    /// Whether the file stores spikes and traces before the ×scale (spikes 0/1), as the official code's reference
    /// does, rather than after it (docs/OTTT.md, "reference files", lists both).
    public var spikesAreUnscaled: Bool {
        guard let s = try? reference.tensor("ottt.spike.lif1") else { return false }
        return (0..<s.count).allSatisfy { s.data[$0] == 0 || s.data[$0] == 1 }
    }

    /// A network with the file's initial parameters.
    public func makeNetwork() throws(ReferenceError) -> Network {
        let net = Network(spec: spec)
        for p in net.parameters {
            let t: Tensor
            do { t = try reference.tensor("init.\(p.name)") } catch { throw .file(error) }
            guard t.count == p.value.count else {
                throw .badSpec(file: file, problem: "init.\(p.name) has shape \(t.shape), the network needs \(p.value.shape)")
            }
            p.value.assign(t)
        }
        net.parametersDidChange()
        return net
    }

    /// Runs forward, OTTT_A, OTTT_O and BPTT and compares every reference tensor present in the file.
    public func run() throws(ReferenceError) -> [Comparison] {
        var out: [Comparison] = []
        let lifCount = spec.layers.filter { if case .conv = $0 { true } else { false } }.count

        // Forward and OTTT_A: one pass in online mode records outputs, spikes, traces and the summed gradients.
        let net = try makeNetwork()
        var outputs = [Float]()
        let losses: [Float]
        var spikes = [[Float]](repeating: [], count: lifCount), traces = spikes
        var rule = OTTTA(gamma: gamma)
        let probe = GradientProbe()
        let result = rule.train(net, frames: frames, labels: labels, optimizer: probe) { _, o in
            outputs += o.values
            for (i, layer) in net.neuronOutputs.enumerated() {
                spikes[i] += layer.spikes.values
                traces[i] += layer.traces?.values ?? []
            }
        }
        losses = result.stepLosses
        out += try compare("ottt.out", outputs, group: "forward")
        out += try compare("ottt.loss", losses, group: "forward")
        // docs/OTTT.md: spikes and traces are meant to be stored after the ×scale; the reference file made by the official
        // code stores them before it (spikes 0/1). Compare in whichever convention the file uses.
        let unscale = spikesAreUnscaled ? 1 / spec.scale : 1
        for i in 0..<lifCount {
            out += try compare("ottt.spike.lif\(i + 1)", spikes[i].map { $0 * unscale }, group: "forward")
            out += try compare("ottt.trace.lif\(i + 1)", traces[i].map { $0 * unscale }, group: "forward")
        }
        for (name, g) in probe.gradients { out += try compare("ottt_a.grad.\(name)", g, group: "OTTT_A") }

        // OTTT_O with the file's SGD.
        let onlineNet = try makeNetwork()
        var onlineOutputs = [Float]()
        var online = OTTTO(gamma: gamma)
        _ = online.train(onlineNet, frames: frames, labels: labels,
                         optimizer: SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)) { _, o in
            onlineOutputs += o.values
        }
        out += try compare("ottt_o.out", onlineOutputs, group: "OTTT_O")
        for p in onlineNet.parameters { out += try compare("ottt_o.param.\(p.name)", p.value.values, group: "OTTT_O") }

        // BPTT.
        let bpttNet = try makeNetwork()
        var bpttOutputs = [Float]()
        var bptt = BPTT(gamma: gamma)
        let bpttProbe = GradientProbe()
        _ = bptt.train(bpttNet, frames: frames, labels: labels, optimizer: bpttProbe) { _, o in bpttOutputs += o.values }
        out += try compare("bptt.out", bpttOutputs, group: "BPTT")
        for (name, g) in bpttProbe.gradients { out += try compare("bptt.grad.\(name)", g, group: "BPTT") }
        return out
    }

    /// Compares `ours` with reference tensor `name`, or returns nothing when the file lacks it.
    private func compare(_ name: String, _ ours: [Float], group: String) throws(ReferenceError) -> [Comparison] {
        guard reference.entries[name] != nil else { return [] }
        let ref: Tensor
        do { ref = try reference.tensor(name) } catch { throw .file(error) }
        guard ref.count == ours.count else {
            throw .shapeMismatch(name: name, reference: ref.shape, ours: ours.count)
        }
        var c = Comparison(name: name, group: group, maxAbsolute: 0, maxRelative: 0, failures: 0, worst: (0, 0, 0))
        var worstExcess: Float = -.infinity
        for i in 0..<ours.count {
            let r = ref.data[i], a = ours[i], diff = abs(a - r)
            c.maxAbsolute = max(c.maxAbsolute, diff)
            if abs(r) >= atol { c.maxRelative = max(c.maxRelative, diff / abs(r)) }
            let excess = diff - (atol + rtol * abs(r))
            if excess > 0 || !diff.isFinite { c.failures += 1 }
            if excess > worstExcess || !diff.isFinite { worstExcess = diff.isFinite ? excess : .infinity; c.worst = (i, a, r) }
        }
        return [c]
    }

    private static func number(after marker: String, in text: String?) -> Float? {
        guard let text, let r = text.range(of: marker) else { return nil }
        let digits = text[r.upperBound...].prefix { "0123456789.eE-+".contains($0) }
        return Float(digits)
    }
}

/// Why a reference file cannot be checked.
public enum ReferenceError: Error, CustomStringConvertible {
    case file(SafeTensorsError)
    case badSpec(file: String, problem: String)
    case shapeMismatch(name: String, reference: [Int], ours: Int)

    public var description: String {
        switch self {
        case .file(let e): "\(e)"
        case let .badSpec(file, problem): "\(file): \(problem)"
        case let .shapeMismatch(name, reference, ours): "reference \(name) has shape \(reference) but the engine made \(ours) values"
        }
    }
}
