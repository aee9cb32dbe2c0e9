import DVSEvents

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
