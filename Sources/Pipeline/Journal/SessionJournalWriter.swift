import Foundation
import InputLimits

/// Appends a journal line by line (each line is one write, so what was written survives a crash; the file is
/// fsynced when closed, and its directory when created, for a power cut). A write that fails (a full disk, a path
/// that is a directory) is one line naming the file and the system's reason.
public final class SessionJournalWriter {
    public let path: String
    private var fd: Int32
    private let encoder: JSONEncoder

    init(path: String, settings: SessionSettings) throws(PipelineError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PipelineError(file: path, expected: "a journal file that can be created",
                                found: String(cString: strerror(errno)))
        }
        FileSync.directory(containing: path)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeLine(SessionJournal.Header(ottt_journal: 1, settings: settings))
    }

    /// Appends to a journal another writer began (the teaching board's resets, written on the learner's thread
    /// between the session's own lines): opened with O_APPEND, so every line lands at the file's end.
    init(appendingTo path: String) throws(PipelineError) {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else {
            throw PipelineError(file: path, expected: "a journal to append to", found: String(cString: strerror(errno)))
        }
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { close() }

    public func append(_ record: SessionJournal.Record) throws(PipelineError) {
        try writeLine(record)
    }

    private func writeLine<T: Encodable>(_ value: T) throws(PipelineError) {
        var data: Data
        do { data = try encoder.encode(value) } catch {
            throw PipelineError(file: path, expected: "a journal record that encodes", found: "\(error)")
        }
        data.append(UInt8(ascii: "\n"))
        guard fd >= 0 else { throw PipelineError(file: path, expected: "an open journal", found: "it closed") }
        let failure: Int32? = data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let r = write(fd, raw.baseAddress! + done, raw.count - done)
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { return r < 0 ? errno : ENOSPC }
                done += r
            }
            return nil
        }
        if let failure {
            throw PipelineError(file: path, expected: "to write the journal", found: String(cString: strerror(failure)))
        }
    }

    public func close() {
        if fd >= 0 { _ = FileSync.file(fd, path: path); Glibc.close(fd); fd = -1 }
    }
}
