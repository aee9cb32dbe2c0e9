import Tensors

/// How a network keeps what its backward pass needs.
public enum GradientMode: Sendable, Equatable {
    /// Inference: no traces, nothing kept for a backward pass.
    case none
    /// OTTT: presynaptic traces and this step's charged potentials; `backwardStep` gives this step's gradient.
    case online
    /// BPTT: every step's inputs and potentials are taped (memory grows with T); `backwardThroughTime` at the end.
    case throughTime
}

/// One layer of a `Network` (internal): forward one step, backward one step, state and tape.
protocol Layer: AnyObject {
    /// The shape of one sample's output.
    var outputShape: [Int] { get }
    /// Allocates buffers for `batch` and zeroes the state.
    func reset(batch: Int, mode: GradientMode)
    /// One time step.
    func forward(_ input: SpikesAndTraces, time t: Int) -> SpikesAndTraces
    /// The backward pass of step `t` given ∂L/∂output; returns ∂L/∂input spikes, or nil when not needed.
    /// In `.online` mode `t` is the current step; in `.throughTime` mode steps arrive from last to first.
    func backward(_ gradient: Tensor, time t: Int) -> Tensor?
}

/// A tape of per-step copies for BPTT: slot t holds a [B, …] tensor, allocated once and reused across sequences.
struct Tape {
    private(set) var slots: [Tensor] = []
    let shape: [Int]

    init(shape: [Int]) { self.shape = shape }

    /// Copies `x` into slot `t` (allocating slots up to t the first time).
    mutating func record(_ x: Tensor, at t: Int) {
        while slots.count <= t { slots.append(Tensor(shape: shape)) }
        slots[t].assign(x)
    }

    subscript(t: Int) -> Tensor {
        precondition(t < slots.count, "no step \(t) on a tape of \(slots.count) steps")
        return slots[t]
    }

    /// Drops the slots (memory back to the system).
    mutating func clear() { slots = [] }
}
