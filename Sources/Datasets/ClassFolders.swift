import Foundation
import DVSEvents
import EventFormats

/// Any dataset laid out as one folder of recordings per class (the layout `ottt synth` and many tools write):
/// either `root/train/<class>/…` and `root/test/<class>/…`, or `root/<class>/…` divided per class (the first
/// `trainFraction` of each class's files by name train, the rest test). Classes are the folder names, sorted;
/// recordings are files in any format EventFile can sniff.
public enum ClassFolders {
    static let extensions = [".aedat", ".aedat4", ".raw", ".dat", ".bin", ".csv"]

    public static func dataset(root: String, part: DatasetPart, trainFraction: Double = 0.9,
                               sensor: SensorSize? = nil) throws -> EventDataset {
        precondition((0...1).contains(trainFraction), "trainFraction lies in 0…1, got \(trainFraction)")
        let split = isDirectory(join(root, "train")) && isDirectory(join(root, "test"))
        let base = split ? join(root, part.rawValue) : root
        // With train/ and test/, classes are the union of both parts' folders so that labels agree between parts.
        let classes = split ? Array(Set(try listDirectories(join(root, "train")) + listDirectories(join(root, "test")))).sorted()
                            : try listDirectories(base)
        guard !classes.isEmpty else {
            throw DatasetError(.badLayout, path: base, expected: "one folder of recordings per class", found: "no folders")
        }
        var samples: [DatasetSample] = []
        for (label, name) in classes.enumerated() {
            let folder = join(base, name)
            guard isDirectory(folder) else { continue }                 // a class missing from this part
            let files = try listFiles(folder, extensions: extensions)
            let cut = Int(trainFraction * Double(files.count))
            for (rank, file) in files.enumerated() where split || (rank < cut) == (part == .train) {
                samples.append(DatasetSample(path: join(folder, file), label: label, name: "\(name)/\(file)"))
            }
        }
        guard let first = samples.first else {
            throw DatasetError(.badLayout, path: base, expected: "recordings (\(extensions.joined(separator: " ")))",
                               found: "none for the \(part.rawValue) part")
        }
        let size = try sensor ?? EventFile.open(path: first.path).info.sensor
        return EventDataset(name: "\((root as NSString).lastPathComponent) \(part.rawValue)", sensor: size,
                            classes: classes, samples: samples)
    }
}

/// Sub-folders of `directory` (not hidden), sorted by name.
func listDirectories(_ directory: String) throws -> [String] {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: directory) }
    catch {
        throw DatasetError(.missing, path: directory, expected: "a readable folder", found: error.localizedDescription)
    }
    return names.filter { !$0.hasPrefix(".") && isDirectory(join(directory, $0)) }.sorted()
}
