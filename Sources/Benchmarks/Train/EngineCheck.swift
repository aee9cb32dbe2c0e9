import Foundation
import Training

/// The engine agrees with PyTorch on a reference file before anything is timed.
public enum EngineCheck {
    /// The reference file checked unless told otherwise.
    public static let defaultReference = "../shared/reference/ottt_small.safetensors"

    public enum Outcome: Equatable, Sendable {
        case passed
        /// The file is absent: timing goes on without the check.
        case missing(String)
    }

    /// Checks the engine against `reference`; throws when any comparison fails.
    public static func run(reference: String) throws -> Outcome {
        guard FileManager.default.fileExists(atPath: reference) else { return .missing(reference) }
        let failed = try ReferenceCheck(path: reference).run().filter { !$0.passed }
        guard failed.isEmpty else {
            throw BenchmarkFailure("bench train: the engine disagrees with \(reference) on "
                                   + failed.map(\.name).joined(separator: ", "))
        }
        return .passed
    }
}
