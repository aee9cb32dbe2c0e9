import Foundation
import DVSEvents
import EventFormats

/// One labelled sample: a recording, or a time window [start, end) of one.
public struct DatasetSample: Hashable, Sendable {
    /// The recording's path.
    public var path: String
    /// Class index, 0-based.
    public var label: Int
    /// The part of the recording that makes the sample, in the recording's µs; nil for all of it.
    public var window: Range<Microseconds>?
    /// A name unique within the dataset (file name, plus the window for cut recordings).
    public var name: String

    public init(path: String, label: Int, window: Range<Microseconds>? = nil, name: String? = nil) {
        self.path = path
        self.label = label
        self.window = window
        let file = (path as NSString).lastPathComponent
        self.name = name ?? (file + (window.map { "@\($0.lowerBound)-\($0.upperBound)" } ?? ""))
    }
}

/// Which part of a dataset.
public enum DatasetPart: String, CaseIterable, Sendable {
    case train, test
}

/// A labelled list of recordings on one sensor, and how to read them.
public struct EventDataset: Sendable {
    public var name: String
    public var sensor: SensorSize
    public var classes: [String]
    public var samples: [DatasetSample]
    /// How the recordings are decoded (format conventions such as DVS128 orientation).
    public var readOptions: ReadOptions
    /// The recordings' format when sniffing cannot tell.
    public var format: EventFileFormat?

    public init(name: String, sensor: SensorSize, classes: [String], samples: [DatasetSample],
                readOptions: ReadOptions = ReadOptions(), format: EventFileFormat? = nil) {
        self.name = name
        self.sensor = sensor
        self.classes = classes
        self.samples = samples
        self.readOptions = readOptions
        self.format = format
    }

    /// The events of one sample, its time window applied (events with start ≤ t < end, whatever their order).
    public func events(of sample: DatasetSample) throws -> EventBuffer {
        let reader = try EventFile.open(path: sample.path, format: format, options: readOptions)
        guard let window = sample.window else { return try reader.readAll() }
        let kept = EventBuffer()
        let chunk = EventBuffer()
        while try reader.read(into: chunk) {
            let t = chunk.t
            var i = 0
            while i < t.count {
                guard window.contains(t[i]) else { i += 1; continue }
                var j = i + 1
                while j < t.count && window.contains(t[j]) { j += 1 }
                kept.append(contentsOf: chunk, range: i..<j)
                i = j
            }
        }
        return kept
    }

    /// Samples per class, for summaries.
    public var countsPerClass: [Int] {
        var counts = [Int](repeating: 0, count: classes.count)
        for s in samples where s.label >= 0 && s.label < counts.count { counts[s.label] += 1 }
        return counts
    }
}

/// Files in `directory` (not recursive) whose names end with one of `extensions`, sorted by name.
func listFiles(_ directory: String, extensions: [String]) throws -> [String] {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: directory) }
    catch {
        throw DatasetError(.missing, path: directory, expected: "a readable folder", found: error.localizedDescription)
    }
    return names.filter { n in extensions.contains { n.lowercased().hasSuffix($0) } && !n.hasPrefix(".") }.sorted()
}

/// Whether `path` is a folder.
func isDirectory(_ path: String) -> Bool {
    var dir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
}

/// `directory/name`.
func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
}

/// The last run of digits in a file name without its extension (`cifar10_cat_917.aedat` → 917).
func trailingNumber(_ name: String) -> Int? {
    let stem = (name as NSString).deletingPathExtension
    let digits = stem.reversed().prefix { $0.isNumber }
    return digits.isEmpty ? nil : Int(String(digits.reversed()))
}
