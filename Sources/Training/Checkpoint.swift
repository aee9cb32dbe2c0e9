import SNN
import Tensors

/// A training checkpoint in one safetensors file, written atomically (temporary file, fsync, rename):
///
/// - parameters under their own names (`conv1.weight`, `conv1.gain`, …, `fc.bias`), F32;
/// - optimizer state under `optimizer.…` (for example `optimizer.momentum.conv1.weight`);
/// - optionally the stream state under `state.…` (`state.lif1.v`, `state.lif1.trace`, [B, C, H, W]);
/// - optionally a learner's own state under `learner.…` (an online learner's pending gradients, class prototypes);
/// - metadata: `format` (`ottt-checkpoint-1`), `spec` (the network words), `neuron`, `scale`, `dropout`,
///   `optimizer`, and whatever the caller adds (preset, training configuration as JSON, epoch, …).
///
/// In Python: `from safetensors.torch import load_file; tensors = load_file("run.safetensors")` gives every tensor
/// by name, and `safetensors.safe_open(path, "pt").metadata()` the metadata.
public struct Checkpoint {
    public static let format = "ottt-checkpoint-1"

    /// The file it was read from (errors about its contents name it).
    public let path: String
    /// The network rebuilt from the file, with its parameters (and state, when saved) loaded.
    public let network: Network
    /// The metadata strings, including the caller's.
    public let metadata: [String: String]
    /// The optimizer tensors without their `optimizer.` prefix; hand them to `Optimizer.restore`.
    public let optimizerState: [String: Tensor]
    /// Whether the file held the stream state (then `network` continues from it).
    public let hasState: Bool
    /// The learner's tensors without their `learner.` prefix (empty when none were saved).
    public let learnerState: [String: Tensor]

    /// Writes `network`'s parameters, `optimizer`'s state and, when `includeState`, the neuron and trace state.
    public static func save(to path: String, network: Network, optimizer: (any Optimizer)?, includeState: Bool = false,
                            learnerState: [String: Tensor] = [:],
                            metadata extra: [String: String] = [:]) throws(CheckpointError) {
        var file = SafeTensors()
        for p in network.parameters { file.set(p.name, p.value) }
        if let optimizer {
            for (name, t) in optimizer.state { file.set("optimizer.\(name)", t) }
        }
        if includeState {
            for (name, t) in network.stateTensors { file.set("state.\(name)", t) }
        }
        for (name, t) in learnerState { file.set("learner.\(name)", t) }
        var m = extra
        let spec = network.spec
        m["format"] = format
        m["spec"] = spec.description
        m["neuron"] = "tau=\(spec.neuron.tau) threshold=\(spec.neuron.threshold) alpha=\(spec.neuron.alpha)"
            + (spec.neuron.reset == .subtract ? "" : " reset=\(spec.neuron.reset.rawValue)")
        m["scale"] = "\(spec.scale)"
        m["dropout"] = "\(spec.dropout)"
        if let optimizer { m["optimizer"] = optimizer.configuration }
        file.metadata = m
        do { try file.write(path: path) } catch { throw .file(error) }
    }

    /// Reads and verifies a checkpoint: format, network words, every parameter present with its shape, nothing
    /// unexpected; the state, when present, must match the network's shapes for its batch size.
    public static func load(from path: String) throws(CheckpointError) -> Checkpoint {
        let file: SafeTensors
        do { file = try SafeTensors.read(path: path) } catch { throw .file(error) }
        let m = file.metadata
        guard m["format"] == format else { throw .notACheckpoint(file: path, format: m["format"]) }
        guard let words = m["spec"] else { throw .missingMetadata(file: path, key: "spec") }
        let neuron = try parseNeuron(m["neuron"], file: path)
        guard let scale = Float(m["scale"] ?? ""), let dropout = Float(m["dropout"] ?? "") else {
            throw .missingMetadata(file: path, key: "scale and dropout")
        }
        let spec: NetworkSpec
        do { spec = try NetworkSpec(parsing: words, neuron: neuron, scale: scale, dropout: dropout) } catch {
            throw .badSpec(file: path, error)
        }
        let network = Network(spec: spec)
        var expected = Set(file.names)
        for p in network.parameters {
            guard let entry = file.entries[p.name] else { throw .missingTensor(file: path, name: p.name) }
            guard entry.shape == p.value.shape else { throw .wrongShape(name: p.name, expected: p.value.shape, found: entry.shape) }
            do { p.value.assign(try file.tensor(p.name)) } catch { throw .file(error) }
            try requireFinite(p.value, name: p.name)
            expected.remove(p.name)
        }
        network.parametersDidChange()
        var optimizer: [String: Tensor] = [:]
        var state: [String: Tensor] = [:]
        var learner: [String: Tensor] = [:]
        for name in expected {
            let t: Tensor
            do { t = try file.tensor(name) } catch { throw .file(error) }
            try requireFinite(t, name: name)
            if name.hasPrefix("optimizer.") { optimizer[String(name.dropFirst(10))] = t }
            else if name.hasPrefix("state.") { state[String(name.dropFirst(6))] = t }
            else if name.hasPrefix("learner.") { learner[String(name.dropFirst(8))] = t }
            else { throw .unexpectedTensor(name: name) }
        }
        if !state.isEmpty {
            guard let first = network.stateTensors.first, let saved = state[first.name], saved.shape.count == 4 else {
                throw .missingTensor(file: path, name: "state.\(network.stateTensors.first?.name ?? "lif1.v")")
            }
            // The batch comes from the file: every state tensor must be there with it before the network's state is
            // sized by it, so that the state allocated is no larger than the tensors the file holds.
            let batch = saved.shape[0]
            for (name, t) in network.stateTensors {
                guard let s = state[name] else { throw .missingTensor(file: path, name: "state.\(name)") }
                guard s.shape.count == 4, s.shape.first == batch else {
                    throw .wrongShape(name: "state.\(name)", expected: [batch] + t.shape.dropFirst(), found: s.shape)
                }
            }
            network.reset(batchSize: batch, mode: .online, training: false)
            for (name, t) in network.stateTensors {
                guard let s = state[name] else { throw .missingTensor(file: path, name: "state.\(name)") }
                guard s.shape == t.shape else { throw .wrongShape(name: "state.\(name)", expected: t.shape, found: s.shape) }
                t.assign(s)
            }
        }
        return Checkpoint(path: path, network: network, metadata: m, optimizerState: optimizer, hasState: !state.isEmpty,
                          learnerState: learner)
    }

    /// Throws unless every value of `tensor` is finite: NaN or ±Inf weights would train and predict silently wrong.
    private static func requireFinite(_ tensor: Tensor, name: String) throws(CheckpointError) {
        for i in 0..<tensor.count where !tensor.data[i].isFinite {
            throw .badValue(name: name, value: "\(tensor.data[i]) at element \(i)", expected: "finite values (the checkpoint is damaged)")
        }
    }

    private static func parseNeuron(_ text: String?, file: String) throws(CheckpointError) -> LIF {
        guard let text else { throw .missingMetadata(file: file, key: "neuron") }
        var values: [String: Float] = [:]
        var reset = LIF.Reset.subtract
        for part in text.split(separator: " ") {
            let kv = part.split(separator: "=")
            if kv.count == 2, kv[0] == "reset" {
                guard let r = LIF.Reset(rawValue: String(kv[1])) else { throw .missingMetadata(file: file, key: "neuron reset subtract or zero, found '\(kv[1])'") }
                reset = r
            } else if kv.count == 2, let v = Float(kv[1]) { values[String(kv[0])] = v }
        }
        guard let tau = values["tau"], let threshold = values["threshold"], let alpha = values["alpha"] else {
            throw .missingMetadata(file: file, key: "neuron (tau=… threshold=… alpha=…), found '\(text)'")
        }
        return LIF(tau: tau, threshold: threshold, alpha: alpha, reset: reset)
    }
}

/// Why a checkpoint cannot be written or used.
public enum CheckpointError: Error, CustomStringConvertible {
    case file(SafeTensorsError)
    case notACheckpoint(file: String, format: String?)
    case missingMetadata(file: String, key: String)
    case badSpec(file: String, NetworkSpecError)
    case missingTensor(file: String, name: String)
    case wrongShape(name: String, expected: [Int], found: [Int])
    case unexpectedTensor(name: String)
    /// A metadata entry that is there but unusable.
    case badMetadata(file: String, key: String, value: String, expected: String)
    /// A tensor value that cannot be what it stands for.
    case badValue(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .file(let e): "\(e)"
        case let .notACheckpoint(file, format):
            "\(file) is not an ottt checkpoint: metadata format is \(format.map { "'\($0)'" } ?? "absent"), expected '\(Checkpoint.format)'"
        case let .missingMetadata(file, key): "\(file): checkpoint metadata lacks \(key)"
        case let .badSpec(file, e): "\(file): \(e)"
        case let .missingTensor(file, name): "\(file): checkpoint lacks tensor '\(name)'"
        case let .wrongShape(name, expected, found): "tensor '\(name)' has shape \(found), expected \(expected)"
        case let .unexpectedTensor(name): "unexpected tensor '\(name)' in checkpoint"
        case let .badMetadata(file, key, value, expected): "\(file): checkpoint metadata '\(key)' is '\(value)', expected \(expected)"
        case let .badValue(name, value, expected): "tensor '\(name)' holds \(value), expected \(expected)"
        }
    }
}
