import DVSEvents
import Foundation

/// A change of the current label, typed by a teacher (a key, a line of `--teach-from`).
public struct LabelChange: Sendable, Equatable {
    public enum When: Sendable, Equatable {
        /// At the next bin the learner takes.
        case now
        /// At this stream time, measured from the stream's first event.
        case at(Microseconds)
    }
    public var when: When
    /// nil clears the label (learning pauses).
    public var label: Int?

    public init(when: When, label: Int?) { self.when = when; self.label = label }

    /// Parses one line of a teaching script: `WHEN LABEL`, WHEN `now` or a time (`2.5s`, `300ms`, µs), LABEL a
    /// number, one of `names`, or `none`. Blank lines and `#` comments give nil.
    public init?(parsing line: String, names: [String], classes: Int, source: String, lineNumber: Int) throws(PipelineError) {
        let words = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first!
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        if words.isEmpty { return nil }
        guard words.count == 2 else {
            throw PipelineError(file: source, line: lineNumber, expected: "WHEN LABEL (e.g. 'now 3' or '2.5s wave')",
                                found: "'\(line)'")
        }
        let when: When
        if words[0] == "now" { when = .now } else if let t = parseDuration(words[0]) { when = .at(t) } else {
            throw PipelineError(file: source, line: lineNumber, expected: "'now' or a time like 2.5s", found: "'\(words[0])'")
        }
        let label: Int?
        if words[1] == "none" || words[1] == "-" {
            label = nil
        } else if let k = Int(words[1]) ?? names.firstIndex(of: words[1]), k >= 0, k < classes {
            label = k
        } else {
            throw PipelineError(file: source, line: lineNumber,
                                expected: "a label 0..<\(classes)\(names.isEmpty ? "" : " or one of \(names.joined(separator: ", "))") or none",
                                found: "'\(words[1])'")
        }
        self.init(when: when, label: label)
    }
}

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
