import SNN
import Tensors

/// An online learner's checkpoint: the network's weights and neuron state and the optimizer's state (`Checkpoint`),
/// plus what only the learner holds, so that a session stopped anywhere — in the middle of a labelled segment too —
/// continues bit for bit:
///
/// - `learner.gradient.…`: the gradients summed for the segment's update and not applied yet (one per parameter,
///   and the standardized and normalized weights' not yet collected, `Network.gradientTensors`);
/// - `learner.prototypes.means` [classes, features] and `learner.prototypes.counts` [classes]: the class memory's
///   prototypes, a fixed size whatever the stream's length;
/// - metadata `ottt.learner`: `updates=N` (the warm-up and the settling count them), and `label=K steps=S` for the
///   pending segment; `ottt.learner.failure`: a failed update not reported yet; `ottt.learner.classes`: when each
///   class was last taught and whether a new class engaged the class memory (`ClassWatch.text`).
extension OnlineOTTTLearner {
    static let countersKey = "ottt.learner"
    static let failureKey = "ottt.learner.failure"
    static let watchKey = "ottt.learner.classes"

    /// Saves weights, optimizer state, neuron state and the learner's own state, with `metadata`, atomically.
    public func saveCheckpoint(to path: String, metadata: [String: String]) throws(CheckpointError) {
        var tensors: [String: Tensor] = [:]
        if pendingLabel != nil {
            for (name, t) in network.gradientTensors { tensors["gradient.\(name)"] = t }
        }
        if let p = prototypes {
            tensors["prototypes.means"] = Tensor(shape: [p.classes, p.features], values: p.means)
            tensors["prototypes.counts"] = Tensor(shape: [p.classes], values: p.counted)
        }
        var m = metadata
        m[Self.countersKey] = "updates=\(updates)" + (pendingLabel.map { " label=\($0) steps=\(pendingSteps)" } ?? "")
        if let pendingFailure { m[Self.failureKey] = pendingFailure }
        if let watch { m[Self.watchKey] = watch.text }
        try Checkpoint.save(to: path, network: network, optimizer: optimizer, includeState: true,
                            learnerState: tensors, metadata: m)
    }

    /// Restores what `saveCheckpoint` saved (a checkpoint of the same network); returns its metadata.
    public func loadCheckpoint(from path: String) throws(OnlineLearnerError) -> [String: String] {
        let saved: Checkpoint
        do { saved = try Checkpoint.load(from: path) } catch { throw .checkpoint(error) }
        guard saved.network.spec == network.spec else {
            throw .otherNetwork(file: path, expected: "\(network.spec)", found: "\(saved.network.spec)")
        }
        do { try optimizer.restore(saved.optimizerState, for: saved.network) } catch { throw .checkpoint(error) }
        if !saved.hasState { saved.network.reset(batchSize: 1, mode: .online, training: false) }
        network = saved.network
        output = nil
        do { try restoreLearnerState(saved) } catch { throw .checkpoint(error) }
        return saved.metadata
    }

    /// Takes the pending segment, the update count, the class watch and the prototypes from `saved` (none of them
    /// for a plain model: no pending segment, no update made, no class taught, no prototypes). Throws when they are
    /// damaged or do not fit the network.
    func restoreLearnerState(_ saved: Checkpoint) throws(CheckpointError) {
        let counters = try Self.counters(in: saved.metadata, file: saved.path, classes: classes)
        updates = counters.updates
        pendingLabel = counters.label
        pendingSteps = counters.steps
        pendingFailure = saved.metadata[Self.failureKey]
        watch = nil
        if let text = saved.metadata[Self.watchKey] {
            guard let w = ClassWatch(text: text, classes: classes) else {
                throw .badMetadata(file: saved.path, key: Self.watchKey, value: text,
                                   expected: "steps=N engaged=E since=U last=… with \(classes) counts, none above N")
            }
            watch = w
        }
        network.zeroGradients()
        if counters.label != nil {
            for (name, t) in network.gradientTensors {
                guard let g = saved.learnerState["gradient.\(name)"] else {
                    throw .missingTensor(file: saved.path, name: "learner.gradient.\(name)")
                }
                guard g.shape == t.shape else { throw .wrongShape(name: "learner.gradient.\(name)", expected: t.shape, found: g.shape) }
                t.assign(g)
            }
        }
        prototypes = nil
        guard let means = saved.learnerState["prototypes.means"] else { return }
        guard let counts = saved.learnerState["prototypes.counts"] else {
            throw .missingTensor(file: saved.path, name: "learner.prototypes.counts")
        }
        guard means.shape.count == 2, means.shape[0] == classes, means.shape[1] > 0 else {
            throw .wrongShape(name: "learner.prototypes.means", expected: [classes, means.shape.last ?? 1], found: means.shape)
        }
        var p = ClassPrototypes(classes: classes, features: means.shape[1], window: classMemory?.window ?? ClassMemory().window)
        guard p.restore(means: means.values, counts: counts.values) else {
            throw .badValue(name: "learner.prototypes.counts", value: "\(counts.shape) \(counts.values.prefix(4))",
                            expected: "\(classes) whole counts ≥ 0")
        }
        prototypes = p
    }

    /// The counters of `ottt.learner` (all zero or nil when the key is absent: a plain model).
    static func counters(in metadata: [String: String], file: String,
                         classes: Int) throws(CheckpointError) -> (updates: Int, label: Int?, steps: Int) {
        guard let text = metadata[countersKey] else { return (0, nil, 0) }
        var values: [String: Int] = [:]
        for part in text.split(separator: " ") {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let v = Int(kv[1]), v >= 0 else {
                throw .badMetadata(file: file, key: countersKey, value: text, expected: "updates=N [label=K steps=S]")
            }
            values[String(kv[0])] = v
        }
        let label = values["label"], steps = values["steps"] ?? 0
        guard let updates = values["updates"], label.map({ $0 < classes }) ?? (steps == 0) else {
            throw .badMetadata(file: file, key: countersKey, value: text,
                               expected: "updates=N, and label=K below \(classes) with steps=S")
        }
        return (updates, label, steps)
    }
}
