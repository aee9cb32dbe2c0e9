import Foundation
import DVSEvents
import EventFormats

/// The datasets ottt knows, by the name users type; one place maps a name to its loader.
public enum DatasetKind: String, CaseIterable, Sendable {
    case cifar10dvs, dvsgesture, nmnist, folders

    /// The `part` of the dataset of this kind at `root`, with each loader's default split.
    public func dataset(root: String, part: DatasetPart) throws -> EventDataset {
        switch self {
        case .cifar10dvs: try CIFAR10DVS.dataset(root: root, part: part)
        case .dvsgesture: try DVSGesture.dataset(root: root, part: part)
        case .nmnist: try NMNIST.dataset(root: root, part: part)
        case .folders: try ClassFolders.dataset(root: root, part: part)
        }
    }

    /// Guesses the kind from the layout at `root`: a recording folder of `ottt synth` (its labels.csv), CIFAR10-DVS
    /// class names, Gesture trial lists, N-MNIST digit folders (under Train/Test or directly), else class folders.
    public static func detect(root: String) -> DatasetKind {
        let fm = FileManager.default
        func has(_ p: String) -> Bool { fm.fileExists(atPath: join(root, p)) }
        if has(RecordingFolder.labelsFile) && has(RecordingFolder.classesFile) { return .folders }
        if has("trials_to_train.txt") || has("DvsGesture/trials_to_train.txt") { return .dvsgesture }
        if has("airplane") && has("truck") || has("CIFAR10DVS/airplane") { return .cifar10dvs }
        if (0...9).allSatisfy({ has("Train/\($0)") }) || (0...9).allSatisfy({ has("\($0)") }) { return .nmnist }
        return .folders
    }
}
