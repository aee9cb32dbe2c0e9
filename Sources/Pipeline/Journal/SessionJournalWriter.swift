import Foundation

/// Appends a journal line by line (each line is one write, so what was written survives a crash).
public final class SessionJournalWriter {
    public let path: String
    private let handle: FileHandle
    private let encoder: JSONEncoder

    init(path: String, settings: SessionSettings) throws(PipelineError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw PipelineError(file: path, expected: "a journal file that can be created", found: "no write access")
        }
        self.handle = handle
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeLine(SessionJournal.Header(ottt_journal: 1, settings: settings))
    }

    /// Appends to a journal another writer began (the teaching board's resets, written on the learner's thread
    /// between the session's own lines: every line is written at the file's end).
    init(appendingTo path: String) throws(PipelineError) {
        self.path = path
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw PipelineError(file: path, expected: "a journal to append to", found: "no such file or no write access")
        }
        self.handle = handle
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { try? handle.close() }

    public func append(_ record: SessionJournal.Record) throws(PipelineError) {
        try writeLine(record)
    }

    private func writeLine<T: Encodable>(_ value: T) throws(PipelineError) {
        do {
            var data = try encoder.encode(value)
            data.append(UInt8(ascii: "\n"))
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
        } catch {
            throw PipelineError(file: path, expected: "to write the journal", found: "\(error)")
        }
    }

    public func close() { try? handle.close() }
}
