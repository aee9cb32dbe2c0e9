import DVSEvents
import EventFormats

/// N-MNIST (Orchard et al. 2015): MNIST digits seen by an ATIS making three saccades, 34×34, .bin files.
///
/// Layout: `root/Train/<digit>/*.bin` and `root/Test/<digit>/*.bin` (the unzipped Train.zip and Test.zip), or one
/// part's `<digit>` folders directly under `root`.
public enum NMNIST {
    public static let classes = (0...9).map(String.init)
    public static let sensor = SensorSize.nmnist

    public static func dataset(root: String, part: DatasetPart) throws -> EventDataset {
        let named = join(root, part == .train ? "Train" : "Test")
        let base = isDirectory(named) ? named : root
        var samples: [DatasetSample] = []
        for digit in 0...9 {
            let folder = join(base, String(digit))
            guard isDirectory(folder) else {
                throw DatasetError(.badLayout, path: base, expected: "folders 0…9 of .bin files", found: "no folder '\(digit)'")
            }
            for file in try listFiles(folder, extensions: [".bin"]) {
                samples.append(DatasetSample(path: join(folder, file), label: digit, name: "\(digit)/\(file)"))
            }
        }
        return EventDataset(name: "N-MNIST \(part.rawValue)", sensor: sensor, classes: classes, samples: samples,
                            format: .nmnist)
    }
}
