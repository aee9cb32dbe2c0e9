import Foundation

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

/// The whole of a UTF-8 text file.
func readText(_ path: String) throws(PipelineError) -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw PipelineError(file: path, expected: "a readable UTF-8 text file", found: "\(error.localizedDescription)")
    }
}
