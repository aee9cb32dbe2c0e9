import Foundation
import InputLimits

/// A problem with the pipeline's inputs (label files, journals, teaching scripts, checkpoints): where, what was
/// expected, what was found.
public struct PipelineError: Error, CustomStringConvertible, Equatable {
    /// The file (or "stdin"), and the 1-based line when it is a text file.
    public var file: String
    public var line: Int?
    public var expected: String
    public var found: String

    public init(file: String, line: Int? = nil, expected: String, found: String) {
        self.file = file
        self.line = line
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let place = line.map { "line \($0) of \(file)" } ?? file
        return "\(place): expected \(expected), found \(found)"
    }
}

/// The whole of a UTF-8 text file (a label file, class names): a directory, a FIFO or a device is named as such
/// in one line instead of Foundation's error (or a read that never ends).
func readText(_ path: String) throws(PipelineError) -> String {
    if let problem = RegularFile.problem(with: path) {
        throw PipelineError(file: path, expected: "a text file", found: "a path that \(problem)")
    }
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw PipelineError(file: path, expected: "a readable UTF-8 text file", found: "\(error.localizedDescription)")
    }
}
