import DVSEvents

/// Why a learning session could not be built or finished.
public enum SessionError: Error, CustomStringConvertible {
    /// A file the session reads is not what it should be (labels, journal, script, checkpoint metadata).
    case input(PipelineError)
    /// A checkpoint could not be read or written, or does not fit the learner.
    case checkpoint(file: String, any Error)
    /// The recording could not be created.
    case recording(file: String, any Error)
    /// Teaching and a label file both want to give the labels.
    case teachingWithLabelFile
    /// The journal names no starting checkpoint, so the session cannot be reproduced.
    case journalWithoutCheckpoint
    /// `resume` was given a plain model.
    case notRunning(file: String)
    /// The running checkpoint stopped before its first bin: there is no place in the stream to resume from.
    case noStreamPosition(file: String)
    /// The checkpoint's network is not the one the settings name.
    case otherNetwork(file: String, found: String, expected: String)
    /// A label file's label is past the network's classes.
    case labelOutOfRange(label: Int, at: Microseconds, classes: Int)

    /// Whether the error is in what the user asked for (the command line shows its usage) rather than in a file.
    public var isUsage: Bool {
        if case .teachingWithLabelFile = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .input(let e): "\(e)"
        case let .checkpoint(file, e): "\(file): \(e)"
        case let .recording(file, e): "\(file): \(e)"
        case .teachingWithLabelFile: "teaching and a label file cannot be used together"
        case .journalWithoutCheckpoint: "the journal names no starting checkpoint; cannot replay it exactly"
        case .notRunning(let file): "\(file) is a model, not a running checkpoint: use --model to start from it"
        case .noStreamPosition(let file): "\(file) holds no stream position to resume from"
        case let .otherNetwork(file, found, expected): "\(file) holds \(found), the session used \(expected)"
        case let .labelOutOfRange(label, at, classes):
            "the label file has label \(label) at \(at) µs; the network has \(classes) classes"
        }
    }
}
