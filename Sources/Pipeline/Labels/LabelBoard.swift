import DVSEvents
import Foundation

/// The current label while teaching, shared between the threads that set it (keyboard, script) and the learner
/// that reads it once per step.
public final class LabelBoard: @unchecked Sendable {
    // @unchecked: all state is accessed with `lock` held.
    private let lock = NSLock()
    private var current: Int?
    private var timed: [(at: Microseconds, label: Int?)] = []     // sorted by time

    public init(initial: Int? = nil) { current = initial }

    /// Posts a change (from any thread).
    public func post(_ change: LabelChange) {
        lock.lock(); defer { lock.unlock() }
        switch change.when {
        case .now: current = change.label
        case .at(let t):
            let i = timed.firstIndex { $0.at > t } ?? timed.count
            timed.insert((t, change.label), at: i)
        }
    }

    /// The label for a frame starting `elapsed` µs after the stream's first event: timed changes due by then apply.
    public func label(at elapsed: Microseconds) -> Int? {
        lock.lock(); defer { lock.unlock() }
        while let first = timed.first, first.at <= elapsed {
            current = first.label
            timed.removeFirst()
        }
        return current
    }
}
