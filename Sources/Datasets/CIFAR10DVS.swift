import DVSEvents
import EventFormats

/// CIFAR10-DVS (Li et al. 2017): 10 classes × 1000 recordings of a DVS128 filming CIFAR-10 images on a monitor.
///
/// Layouts found under `root` (or `root/CIFAR10DVS`): one folder per class named as in `classes`, holding either the
/// original `cifar10_<class>_<i>.aedat` files (AEDAT 2.0, DVS128 addresses) or tonic's AEDAT 4 re-encoding
/// (`*.aedat4`). Recordings are ordered by the number i in their name (by name when there is none).
public enum CIFAR10DVS {
    public static let classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    public static let sensor = SensorSize.dvs128

    /// How recordings are divided into train and test within each class of n recordings (docs/FORMATS.md §2).
    public enum Split: String, CaseIterable, Sendable {
        /// The OTTT code: the first 90 % (i < 900 of 1000) train, the rest test.
        case ottt
        /// SpikingJelly's `CIFAR10DVSTEBNSplit`: the first 10 % (i < 100) test, the rest train.
        case spikingJelly = "spikingjelly"

        /// Whether the recording at `rank` (0-based, in order) of a class of `n` goes to `part`.
        func contains(rank: Int, of n: Int, _ part: DatasetPart) -> Bool {
            switch self {
            case .ottt: (rank < Int(0.9 * Double(n))) == (part == .train)
            case .spikingJelly: (rank < n / 10) == (part == .test)
            }
        }
    }

    /// The `part` of the dataset at `root`. Orientation and polarity follow the OTTT loader (x = 127 − raw_x,
    /// y = raw_y, ON when raw bit 0 is 0) unless `convention` says otherwise.
    public static func dataset(root: String, part: DatasetPart, split: Split = .ottt,
                               convention: DVS128Convention = .ottt) throws -> EventDataset {
        let base = isDirectory(join(root, "CIFAR10DVS")) && !isDirectory(join(root, classes[0])) ? join(root, "CIFAR10DVS") : root
        var samples: [DatasetSample] = []
        for (label, name) in classes.enumerated() {
            let folder = join(base, name)
            guard isDirectory(folder) else {
                throw DatasetError(.badLayout, path: base, expected: "a folder per class (\(classes.joined(separator: ", ")))",
                                   found: "no folder '\(name)'")
            }
            let files = try listFiles(folder, extensions: [".aedat", ".aedat4"])
            guard !files.isEmpty else {
                throw DatasetError(.badLayout, path: folder, expected: "cifar10_\(name)_<i>.aedat or .aedat4 files",
                                   found: "none")
            }
            let ordered = files.sorted { a, b in
                switch (trailingNumber(a), trailingNumber(b)) {
                case let (x?, y?) where x != y: x < y
                default: a < b
                }
            }
            for (rank, file) in ordered.enumerated() where split.contains(rank: rank, of: ordered.count, part) {
                samples.append(DatasetSample(path: join(folder, file), label: label, name: "\(name)/\(file)"))
            }
        }
        var options = ReadOptions()
        options.dvs128Convention = convention
        return EventDataset(name: "CIFAR10-DVS \(part.rawValue) (\(split.rawValue) split)", sensor: sensor,
                            classes: classes, samples: samples, readOptions: options)
    }
}
