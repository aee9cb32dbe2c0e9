import DVSEvents
import Foundation

/// The current label while teaching, shared between the threads that set it (keyboard, script, the browser view)
/// and the learner that reads it once per step. Besides the label it carries the teacher's two controls: learning
/// off (the label is withheld from the learner — nothing is learned or scored, as when it is cleared — and comes
/// back when learning is switched on) and a neuron-state reset before the next step. Both reach the journal: the
/// withheld label as label changes, the reset as a `reset` record, so a taught session replays bit for bit.
public final class LabelBoard: @unchecked Sendable {
    // @unchecked: all state is accessed with `lock` held; `resetJournal` is written once before the stream runs.
    private let lock = NSLock()
    private var current: Int?
    private var timed: [(at: Microseconds, label: Int?)] = []     // sorted by time
    private var learningOn = true
    private var resetPending = false
    private var resetJournal: SessionJournalWriter?

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

    /// The label for a frame starting `elapsed` µs after the stream's first event: timed changes due by then apply;
    /// nil while learning is off.
    public func label(at elapsed: Microseconds) -> Int? {
        lock.lock(); defer { lock.unlock() }
        while let first = timed.first, first.at <= elapsed {
            current = first.label
            timed.removeFirst()
        }
        return learningOn ? current : nil
    }

    /// The label taught now (shown while learning is off too).
    public var taught: Int? { lock.lock(); defer { lock.unlock() }; return current }

    /// Switches learning on or off from the next step (from any thread).
    public func setLearning(_ on: Bool) { lock.lock(); learningOn = on; lock.unlock() }
    public var isLearningOn: Bool { lock.lock(); defer { lock.unlock() }; return learningOn }

    /// Asks for the neuron state to be cleared before the next step (from any thread).
    public func requestReset() { lock.lock(); resetPending = true; lock.unlock() }

    /// Writes the resets the learner takes as `reset` records to the session's journal at `path` (already begun by
    /// the session), appending.
    public func journalResets(to path: String) throws(PipelineError) {
        let writer = try SessionJournalWriter(appendingTo: path)
        lock.lock(); resetJournal = writer; lock.unlock()
    }

    /// Whether to reset before the step on the frame starting at `bin`; called once per step on the learner's thread.
    func takeReset(atBin bin: Int) throws(PipelineError) -> Bool {
        lock.lock()
        let pending = resetPending
        resetPending = false
        let journal = resetJournal
        lock.unlock()
        if pending { try journal?.append(.init(kind: .reset, first: bin)) }
        return pending
    }
}
