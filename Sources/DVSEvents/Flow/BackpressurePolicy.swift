/// What a bounded queue does with one more item when its consumer falls behind its producer: the camera's queue
/// of decoded chunks and the learner's queue of frames both follow it (`--when-behind`).
public enum BackpressurePolicy: String, CaseIterable, Sendable {
    /// The producer waits: nothing is lost, latency grows (replay's default; a file can wait, a camera's USB
    /// thread waiting makes the camera's own FIFO fill and its FPGA drop on stall instead).
    case block
    /// The oldest queued item is thrown away (counted) to make room: latency stays bounded, the consumer always
    /// sees the latest data.
    case drop
    /// The new item is folded into the newest queued one (chunks appended, frames summed): nothing is lost, the
    /// consumer takes one step for several items (counted); the camera queue drops the oldest beyond a merge limit.
    /// Live's default.
    case merge
}
