import DVSEvents
import Foundation
import InputLimits

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

    /// Parses a label file. `names` maps label words to indices when the third column is not a number. A class
    /// must lie in 0..<`Limits.current.labelClasses` (after Gesture's shift from 1), a line within the line limit;
    /// the intervals, in any order, must not overlap any other (each is checked against the latest end before it).
    public init(csv text: String, file: String, names: [String] = []) throws(PipelineError) {
        let limits = Limits.current
        var rows: [(interval: Interval, line: Int)] = []
        var columns = (start: 0, end: 1, label: 2)
        var labelBase = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard raw.utf8.count <= limits.lineBytes else {
                throw PipelineError(file: file, line: n + 1, expected: "a line of at most \(limits.lineBytes) bytes "
                                    + "(raise it with \(Limits.Kind.lineBytes.flag) N)", found: "\(raw.utf8.count) bytes")
            }
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
            let number = Int(word).flatMap { k -> Int? in
                let (shifted, overflow) = k.subtractingReportingOverflow(labelBase)
                return overflow ? nil : shifted
            }
            guard let label = number ?? names.firstIndex(where: { $0.lowercased() == word }),
                  label >= 0, label < limits.labelClasses else {
                let range = "0..<\(limits.labelClasses)\(labelBase == 1 ? " (classes 1…\(limits.labelClasses) under a Gesture header)" : "")"
                throw PipelineError(file: file, line: n + 1,
                                    expected: "a label number in \(range) or one of the names "
                                        + "(raise the limit with \(Limits.Kind.labelClasses.flag) N)",
                                    found: "class '\(word)'")
            }
            guard end > start else {
                throw PipelineError(file: file, line: n + 1, expected: "end after start", found: "\(start)…\(end)")
            }
            rows.append((Interval(start: start, end: end, label: label), n + 1))
        }
        // In start order, each interval must begin at or after the latest end so far (not only the previous one).
        rows.sort { ($0.interval.start, $0.line) < ($1.interval.start, $1.line) }
        var latest: (end: Microseconds, line: Int)?
        for row in rows {
            if let l = latest, row.interval.start < l.end {
                throw PipelineError(file: file, line: row.line, expected: "intervals that do not overlap",
                                    found: "\(row.interval.start)…\(row.interval.end) overlapping line \(l.line) "
                                        + "(which ends at \(l.end))")
            }
            latest = (row.interval.end, row.line)          // past the previous end: it starts after it and ends later
        }
        self.init(rows.map(\.interval))
    }

    public static func read(path: String, names: [String] = []) throws(PipelineError) -> LabelSchedule {
        try LabelSchedule(csv: try readText(path), file: path, names: names)
    }
}

/// Label names, one per line (`--labels FILE`): key k of `--teach` picks name k.
public func readLabelNames(path: String) throws(PipelineError) -> [String] {
    try readText(path).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
