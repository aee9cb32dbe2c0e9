import Foundation
import InputLimits

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
        if let problem = RegularFile.problem(with: path) {      // a directory, a FIFO or /dev/zero: said, not read
            throw PipelineError(file: path, expected: "a teaching script (a text file, or - for stdin)",
                                found: "a path that \(problem)")
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
        let limit = Limits.current.lineBytes
        var lines = LineSplitter(limit: limit)
        let each: (LineSplitter.Piece) -> Void = { [self] piece in
            switch piece {
            case .line(let text, let n): post(text, n)
            case .tooLong(let n):
                report("line \(n) of \(source): longer than \(limit) bytes (raise it with "
                       + "\(Limits.Kind.lineBytes.flag) N) (skipped)")
            }
        }
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            lines.push(chunk, each)
        }
        lines.finish(each)
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
