import DVSEvents

/// Divides every network input by a running root-mean-square of the inputs seen, so that what the first layer sees
/// does not depend on Δt or on the scene's event rate.
///
/// Why: a bin of event counts, resized to the network, is ~0.01 per pixel on a DVS128 recording at 10 ms and grows
/// with Δt; against a firing threshold of 1 an untrained network is silent at every Δt, so it can learn only through
/// the classifier's bias (see README, "Learning online"). After this scale the input's RMS is about 1 at any Δt.
///
///     rms(x) = sqrt(mean(x²)) over one frame's values
///     r ← rms(x) at the first non-empty frame, then r ← (1 − k) r + k rms(x),  k = min(1, d / τ)
///     x ← x / r
///
/// over non-empty frames only, d the frame's duration (µs of stream) and τ = 1 s of stream time: the time constant
/// is the same whatever Δt. Empty frames are left as they are (zeros). One number of state, saved with the learner
/// stage's state in running checkpoints; a pure function of the frames, so a journal replays it bit for bit.
public struct RunningRMS: Codable, Sendable, Equatable {
    /// The time constant τ, µs of stream.
    public var timeConstant: Microseconds = 1_000_000
    /// r, nil before the first non-empty frame.
    public private(set) var rms: Float?

    public init(timeConstant: Microseconds = 1_000_000) {
        precondition(timeConstant > 0, "a running RMS time constant of \(timeConstant) µs")
        self.timeConstant = timeConstant
    }

    /// Updates r with `values`, a frame lasting `duration` µs, and divides them by it.
    public mutating func scale(_ values: inout [Float], duration: Microseconds) {
        var sum: Float = 0
        for v in values { sum += v * v }
        guard sum > 0, !values.isEmpty else { return }
        let now = (sum / Float(values.count)).squareRoot()
        guard now.isFinite else { return }
        let k = min(1, Float(max(duration, 0)) / Float(timeConstant))
        let r = rms.map { (1 - k) * $0 + k * now } ?? now
        rms = r
        let inverse = 1 / r
        for i in values.indices { values[i] *= inverse }
    }
}
