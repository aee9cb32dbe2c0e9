import DVSEvents
import Foundation

/// The side file of a recording (`FILE.aedat4.journal`): the session's settings, then one line per event that a
/// replay could not deduce from the events alone — label changes (by bin), bins merged or dropped because the
/// network fell behind, neuron-state resets a teacher asked for — and an end line. JSON lines, written as they happen, so a session that dies leaves a
/// journal that is readable up to its last line.
///
///     {"ottt_journal":1,"settings":{…}}
///     {"kind":"label","first":120,"label":3}       label 3 from bin 120 on (no "label": none)
///     {"kind":"merge","first":200,"last":202}      bins 200…202 were one network step
///     {"kind":"drop","first":305,"last":306}       bins 305…306 never reached the network
///     {"kind":"reset","first":410}                 the neuron state was cleared before the step on bin 410
///     {"kind":"end","first":999,"last":980}        last bin 999, 980 network steps
public struct SessionJournal: Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case label, merge, drop, reset, end }
        public var kind: Kind
        public var first: Int
        public var last: Int?
        public var label: Int?

        public init(kind: Kind, first: Int, last: Int? = nil, label: Int? = nil) {
            self.kind = kind; self.first = first; self.last = last; self.label = label
        }
    }

    struct Header: Codable {
        var ottt_journal: Int
        var settings: SessionSettings
    }

    public var settings: SessionSettings
    public var records: [Record]

    public init(settings: SessionSettings, records: [Record] = []) {
        self.settings = settings
        self.records = records
    }

    /// The side file's path for a recording.
    public static func path(forRecording recording: String) -> String { recording + ".journal" }

    /// Whether the session ended cleanly (an end line was written).
    public var isComplete: Bool { records.last?.kind == .end }

    /// The end line's counts: the last bin and the number of network steps.
    public var end: (lastBin: Int, steps: Int)? {
        guard let r = records.last, r.kind == .end else { return nil }
        return (r.first, r.last ?? 0)
    }

    public static func read(path: String) throws(PipelineError) -> SessionJournal {
        let text = try readText(path)
        let decoder = JSONDecoder()
        var journal: SessionJournal?
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let data = Data(line.utf8)
            if journal == nil {
                guard let header = try? decoder.decode(Header.self, from: data), header.ottt_journal == 1 else {
                    throw PipelineError(file: path, line: n + 1, expected: "a journal header {\"ottt_journal\":1,…}",
                                        found: "'\(line.prefix(60))'")
                }
                journal = SessionJournal(settings: header.settings)
                continue
            }
            guard let record = try? decoder.decode(Record.self, from: data) else {
                throw PipelineError(file: path, line: n + 1, expected: "a journal record", found: "'\(line.prefix(60))'")
            }
            journal!.records.append(record)
        }
        guard let journal else { throw PipelineError(file: path, expected: "a journal header", found: "an empty file") }
        return journal
    }
}
