/// A benchmark's own check failed before or after timing (a result that disagrees with its reference, a child
/// process that did not report): the figures would be meaningless, so none are given.
public struct BenchmarkFailure: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ message: String) { description = message }
}
