import Foundation
import DVSEvents
import EventFormats

/// A dataset laid out as one folder per class of event files (what `ottt synth` writes, and the simplest way to
/// bring one's own recordings):
///
///     DIR/<class>/<recording>.aedat4 (or .aedat, .raw, .dat, .bin, .csv)
///     DIR/classes.txt            optional: class names in label order, one per line
///
/// Without `classes.txt` the classes are the subfolders in name order. The parts: `DIR/train/<class>/…` and
/// `DIR/test/<class>/…` when both exist; otherwise within each class (recordings in name order) every fifth
/// recording, ranks 4, 9, 14, …, is test and the rest train (80 / 20, spread over the whole folder). The sensor is
/// read from the header of the first recording.
public enum ClassFolders {
    /// The file endings listed as recordings.
    public static let extensions = [".aedat4", ".aedat", ".raw", ".dat", ".bin", ".csv"]
    static let classesFile = "classes.txt"

    public static func dataset(root: String, part: DatasetPart, readOptions: ReadOptions = ReadOptions()) throws -> EventDataset {
        let parted = isDirectory(join(root, "train")) && isDirectory(join(root, "test"))
        let base = parted ? join(root, part.rawValue) : root
        let classes = try classNames(root: root, base: base)
        var samples: [DatasetSample] = []
        for (label, name) in classes.enumerated() {
            let folder = try classFolder(base, name, of: classes)
            let files = try listFiles(folder, extensions: extensions)
            for (rank, file) in files.enumerated() where parted || ((rank % 5 == 4) == (part == .test)) {
                samples.append(DatasetSample(path: join(folder, file), label: label, name: "\(name)/\(file)"))
            }
        }
        guard let first = samples.first else {
            throw DatasetError(.badLayout, path: base, expected: "recordings (\(extensions.joined(separator: ", "))) in the class folders",
                               found: "none for the \(part.rawValue) part")
        }
        let sensor = try EventFile.open(path: first.path, options: readOptions).info.sensor
        return EventDataset(name: "\((root as NSString).lastPathComponent) \(part.rawValue)", sensor: sensor,
                            classes: classes, samples: samples, readOptions: readOptions)
    }

    /// `classes.txt` in `root` when present, else the subfolders of `base` by name.
    static func classNames(root: String, base: String) throws -> [String] {
        let listed = join(root, classesFile)
        if FileManager.default.fileExists(atPath: listed) {
            let names = try readLines(listed).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else {
                throw DatasetError(.badLabels, path: listed, expected: "one class name per line", found: "no names")
            }
            return names
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: base) } catch {
            throw DatasetError(.missing, path: base, expected: "a readable folder of class folders", found: error.localizedDescription)
        }
        let names = entries.filter { !$0.hasPrefix(".") && isDirectory(join(base, $0)) }.sorted()
        guard !names.isEmpty else {
            throw DatasetError(.badLayout, path: base, expected: "a folder per class of event files", found: "no subfolders")
        }
        return names
    }
}
