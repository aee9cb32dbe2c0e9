import SNN
import Tensors

/// A network run in inference over T frames of one sample, from a fresh state, keeping what a peer simulator can be
/// compared with: the classifier's output at every step and every spiking layer's 0/1 spikes.
///
/// Legend: T steps, C×H×W a frame, K classes, Cl×Hl×Wl spiking layer l.
public struct NetworkProbe {
    /// [T, K].
    public let outputs: Tensor
    /// Per spiking layer, [T, Cl, Hl, Wl] of 0/1.
    public let spikes: [Tensor]

    /// Runs `network` (its state is reset, batch 1, no gradients) over `frames` [T, C, H, W].
    public init(network: Network, frames: Tensor) {
        let spec = network.spec
        let sample = spec.input.reduce(1, *)
        precondition(frames.shape.count == 4 && Array(frames.shape.dropFirst()) == spec.input,
                     "frames \(frames.shape) for input \(spec.input)")
        let steps = frames.shape[0]
        network.reset(batchSize: 1, mode: .none, training: false)
        let outputs = Tensor(shape: [steps, spec.classes])
        var spikes: [Tensor] = []
        let frame = Tensor(shape: [1] + spec.input)
        for t in 0..<steps {
            frame.data.update(from: frames.data + t * sample, count: sample)
            let o = network.step(frame)
            (outputs.data + t * spec.classes).update(from: o.data, count: spec.classes)
            for (l, layer) in network.neuronOutputs.enumerated() {
                let s = layer.spikes
                if t == 0 { spikes.append(Tensor(shape: [steps] + Array(s.shape.dropFirst()))) }
                let n = s.count, out = spikes[l].data + t * n
                for i in 0..<n { out[i] = s.data[i] != 0 ? 1 : 0 }
            }
        }
        self.outputs = outputs
        self.spikes = spikes
    }

    /// How two runs differ: the largest output difference, and how many spikes of how many differ.
    public struct Difference: Sendable, CustomStringConvertible {
        public var maxOutputError: Float
        public var maxOutput: Float
        public var spikeMismatches: Int
        public var spikeCount: Int
        public var description: String {
            "max |Δoutput| \(maxOutputError) (outputs up to \(maxOutput)); \(spikeMismatches) of \(spikeCount) spikes differ"
        }
    }

    /// The difference between this run and `other` (same shapes).
    public func difference(from other: NetworkProbe) -> Difference {
        precondition(outputs.shape == other.outputs.shape && spikes.count == other.spikes.count,
                     "probes of different networks: \(outputs.shape) vs \(other.outputs.shape)")
        var d = Difference(maxOutputError: 0, maxOutput: 0, spikeMismatches: 0, spikeCount: 0)
        for i in 0..<outputs.count {
            d.maxOutputError = max(d.maxOutputError, abs(outputs.data[i] - other.outputs.data[i]))
            d.maxOutput = max(d.maxOutput, abs(outputs.data[i]))
        }
        for (a, b) in zip(spikes, other.spikes) {
            precondition(a.shape == b.shape, "spike shapes \(a.shape) vs \(b.shape)")
            for i in 0..<a.count {
                if a.data[i] != b.data[i] { d.spikeMismatches += 1 }
                if a.data[i] != 0 { d.spikeCount += 1 }
            }
        }
        return d
    }
}
