/// An HDF5 call that failed, or a dataset that is not what the reader expected: the file, the path inside it
/// (`/node/nodes/conv1/weight`) and what went wrong.
public struct HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        /// The library refused `call` (it prints nothing: its own error stack is silenced).
        case callFailed(String)
        /// Nothing (no group or dataset) at the path.
        case missing
        /// The dataset holds another kind of value than the one asked for.
        case wrongType(expected: String, found: String)
        /// The dataset has another shape than the one needed.
        case wrongShape(expected: String, found: [Int])
        /// A string that is not UTF-8, or a count that overflows.
        case malformed(String)
    }

    public let file: String
    /// The path inside the file.
    public let path: String
    public let problem: Problem

    public init(file: String, path: String, problem: Problem) {
        self.file = file; self.path = path; self.problem = problem
    }

    public var description: String {
        let at = "\(file):\(path)"
        return switch problem {
        case .callFailed(let call): "\(at): HDF5 \(call) failed"
        case .missing: "\(at): no such group or dataset"
        case let .wrongType(expected, found): "\(at): expected \(expected), found \(found)"
        case let .wrongShape(expected, found): "\(at): expected shape \(expected), found \(found)"
        case .malformed(let why): "\(at): \(why)"
        }
    }
}
