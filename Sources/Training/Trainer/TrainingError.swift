import DataParallel
import Foundation

/// Why a `Trainer` cannot start, go on or save: what was expected, what was found and which file.
public enum TrainingError: Error, CustomStringConvertible {
    /// A checkpoint that cannot be read, written or used.
    case checkpoint(CheckpointError)
    /// A checkpoint without the training configuration (metadata `training`).
    case noConfiguration(file: String)
    /// A metadata entry (`training`, `history`) that does not decode; `problem` says where and what.
    case unreadableMetadata(file: String, key: String, problem: String)
    /// A configuration that cannot be trained with (zero epochs, a bad network, samples of another shape).
    case invalidConfiguration(String)
    /// Resuming a run that has done all its epochs.
    case finished(file: String, epochs: Int)
    /// The loss stopped being finite.
    case diverged(epoch: Int, samples: Int, loss: Float, learningRate: Float)
    /// A checkpoint that cannot be written.
    case cannotWrite(path: String, CheckpointError)
    /// A folder for checkpoints that cannot be made.
    case cannotCreate(path: String, reason: String)
    /// Data-parallel training cannot go on (an MPI failure, ranks that disagree); every rank throws it.
    case distributed(DataParallelError)

    public var description: String {
        switch self {
        case .checkpoint(let e): "\(e)"
        case .noConfiguration(let file):
            "\(file) has no training configuration (metadata 'training'); it was not written by 'ottt train'"
        case let .unreadableMetadata(file, key, problem): "\(file): unreadable metadata '\(key)': \(problem)"
        case .invalidConfiguration(let problem): problem
        case let .finished(file, epochs):
            "\(file) has finished its \(epochs) epochs; give --epochs E > \(epochs) to go on"
        case let .diverged(epoch, samples, loss, lr):
            "training diverged in epoch \(epoch) after \(samples) samples (loss \(loss)); try a lower --lr (now \(lr))"
        case let .cannotWrite(path, e): "cannot write the checkpoint \(path): \(e)"
        case let .cannotCreate(path, reason): "cannot create \(path): \(reason)"
        case .distributed(let e): "\(e)"
        }
    }

    /// A decoding error in words: the path of keys and what was wrong there.
    public static func explain(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : path.map(\.stringValue).joined(separator: ".") + ": "
        }
        switch e {
        case .dataCorrupted(let c): return at(c.codingPath) + c.debugDescription
        case .keyNotFound(let key, let c): return at(c.codingPath) + "'\(key.stringValue)' is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return at(c.codingPath) + c.debugDescription
        @unknown default: return "\(e)"
        }
    }
}
