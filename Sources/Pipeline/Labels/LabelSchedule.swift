import DVSEvents
import Foundation

/// Labelled intervals of a recording in stream time: from a label file (CSV `start_us,end_us,label`, or DVS128
/// Gesture's `class,startTime_usec,endTime_usec` with classes 1–11 relabelled 0–10, as SpikingJelly does).
public struct LabelSchedule: Sendable, Equatable {
    public struct Interval: Sendable, Equatable {
        public var start: Microseconds
        public var end: Microseconds
        public var label: Int
        public init(start: Microseconds, end: Microseconds, label: Int) {
            self.start = start; self.end = end; self.label = label
        }
    }

    /// Sorted by start, not overlapping.
    public private(set) var intervals: [Interval]

    public init(_ intervals: [Interval]) {
        self.intervals = intervals.sorted { $0.start < $1.start }
    }

    /// The label of [start, end): the label of the interval holding all of it, or nil when it lies outside every
    /// interval or straddles a boundary (such bins are neither scored nor learned from).
    public func label(from start: Microseconds, to end: Microseconds) -> Int? {
        interval(from: start, to: end)?.label
    }

    /// The interval holding all of [start, end), or nil.
    public func interval(from start: Microseconds, to end: Microseconds) -> Interval? {
        var lo = 0, hi = intervals.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if intervals[mid].start <= start { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let i = intervals[lo - 1]
        return end <= i.end ? i : nil
    }

    /// Parses a label file. `names` maps label words to indices when the third column is not a number.
    public init(csv text: String, file: String, names: [String] = []) throws(PipelineError) {
        var rows: [Interval] = []
        var columns = (start: 0, end: 1, label: 2)
        var labelBase = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if rows.isEmpty && Int64(fields.first ?? "") == nil && fields.contains(where: { $0.contains("start") }) {
                // A header: find the columns by name.
                guard let s = fields.firstIndex(where: { $0.hasPrefix("start") }),
                      let e = fields.firstIndex(where: { $0.hasPrefix("end") }),
                      let l = fields.firstIndex(where: { $0 == "class" || $0 == "label" }) else {
                    throw PipelineError(file: file, line: n + 1, expected: "a header naming start, end and class or label",
                                        found: "'\(line)'")
                }
                columns = (s, e, l)
                labelBase = fields[l] == "class" ? 1 : 0         // DVS128 Gesture numbers its classes from 1
                continue
            }
            guard fields.count > max(columns.start, columns.end, columns.label),
                  let start = Int64(fields[columns.start]), let end = Int64(fields[columns.end]) else {
                throw PipelineError(file: file, line: n + 1, expected: "start_us,end_us,label", found: "'\(line)'")
            }
            let word = fields[columns.label]
            guard let label = Int(word).map({ $0 - labelBase }) ?? names.firstIndex(where: { $0.lowercased() == word }),
                  label >= 0 else {
                throw PipelineError(file: file, line: n + 1, expected: "a label number or one of the names",
                                    found: "'\(word)'")
            }
            guard end > start else {
                throw PipelineError(file: file, line: n + 1, expected: "end after start", found: "\(start)…\(end)")
            }
            if let last = rows.last, start < last.end, start >= last.start {
                throw PipelineError(file: file, line: n + 1, expected: "intervals that do not overlap",
                                    found: "\(start) inside \(last.start)…\(last.end)")
            }
            rows.append(Interval(start: start, end: end, label: label))
        }
        self.init(rows)
    }

    public static func read(path: String, names: [String] = []) throws(PipelineError) -> LabelSchedule {
        try LabelSchedule(csv: try readText(path), file: path, names: names)
    }
}

/// Label names, one per line (`--labels FILE`): key k of `--teach` picks name k.
public func readLabelNames(path: String) throws(PipelineError) -> [String] {
    try readText(path).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
