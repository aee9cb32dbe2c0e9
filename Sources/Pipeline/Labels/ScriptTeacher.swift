import Foundation

/// Teaching from a script (`--teach-from FILE|-`): each line `WHEN LABEL` is posted to the board as it is read,
/// so a script on stdin can teach while the stream runs. Bad lines are reported and skipped.
final class ScriptTeacher: @unchecked Sendable {
    private let handle: FileHandle
    private let source: String
    private let streaming: Bool
    private let board: LabelBoard
    private let names: [String]
    private let classes: Int
    private let report: @Sendable (String) -> Void

    /// Reads `path`, or standard input for `-`.
    convenience init(path: String, board: LabelBoard, names: [String], classes: Int,
                            report: @escaping @Sendable (String) -> Void) throws(PipelineError) {
        if path == "-" {
            self.init(reading: .standardInput, source: "stdin", streaming: true, board: board, names: names,
                      classes: classes, report: report)
            return
        }
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(file: path, expected: "a readable teaching script", found: "no such file or no access")
        }
        self.init(reading: h, source: path, streaming: false, board: board, names: names, classes: classes,
                  report: report)
    }

    /// Reads `handle`, named `source` in messages. A streaming input (stdin, a pipe) is read on its own thread as
    /// lines arrive; a file is read whole by `start()`.
    init(reading handle: FileHandle, source: String, streaming: Bool, board: LabelBoard, names: [String],
                classes: Int, report: @escaping @Sendable (String) -> Void) {
        self.handle = handle
        self.source = source
        self.streaming = streaming
        self.board = board
        self.names = names
        self.classes = classes
        self.report = report
    }

    /// Reads a whole file at once (times in it apply as the stream reaches them); stdin on its own thread.
    func start() {
        if !streaming { readAll(); return }
        let t = Thread { [self] in readAll() }
        t.name = "ottt-teach"
        t.start()
    }

    private func readAll() {
        var pending = Data()
        var lineNumber = 0
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                post(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self), lineNumber)
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { post(String(decoding: pending, as: UTF8.self), lineNumber + 1) }
    }

    private func post(_ line: String, _ n: Int) {
        do {
            if let change = try LabelChange(parsing: line, names: names, classes: classes, source: source, lineNumber: n) {
                board.post(change)
            }
        } catch {
            report("\(error) (skipped)")
        }
    }
}
