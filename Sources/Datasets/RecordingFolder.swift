import DVSEvents
import EventFormats
import Foundation

/// A folder of labelled recordings, the layout `ottt synth` writes:
///
///     DIR/classes.txt           class names in label order, one per line
///     DIR/labels.csv            file,label,class,start_us,end_us,events — one row per recording
///     DIR/<folder>/<n>.aedat4   one recording per sample, in a folder per class
///
/// `file` is relative to DIR; start_us and end_us bound the labelled span inside the file (a whole sample). A class
/// folder is named after its class, prefixed with its label (`3-up-left`) when the names would not sort in label
/// order, so that `ClassFolders`, which numbers classes by sorted folder name, reads the same labels.
public struct RecordingFolder: Sendable {
    /// One recording of the folder.
    public struct Entry: Hashable, Sendable {
        /// Path relative to the folder, with `/` separators.
        public var file: String
        public var label: Int
        public var start: Microseconds
        public var end: Microseconds
        /// Events in the file.
        public var events: Int

        public init(file: String, label: Int, start: Microseconds, end: Microseconds, events: Int) {
            self.file = file
            self.label = label
            self.start = start
            self.end = end
            self.events = events
        }
    }

    public static let labelsFile = "labels.csv"
    public static let classesFile = "classes.txt"
    static let header = "file,label,class,start_us,end_us,events"

    public let directory: String
    public let classNames: [String]
    public let entries: [Entry]

    /// The full path of an entry's file.
    public func path(of entry: Entry) -> String {
        (directory as NSString).appendingPathComponent(entry.file)
    }

    /// Reads the folder's class list and labels.
    public static func read(directory: String) throws -> RecordingFolder {
        let classNames = try readLines(join(directory, classesFile))
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !classNames.isEmpty else {
            throw DatasetError(.badLabels, path: join(directory, classesFile), expected: "one class name per line",
                               found: "no class names")
        }
        let labelsPath = join(directory, labelsFile)
        var entries: [Entry] = []
        for (number, row) in try readLines(labelsPath).enumerated() {
            func bad(_ expected: String, _ found: String) -> DatasetError {
                DatasetError(.badLabels, path: labelsPath, location: "line \(number + 1)", expected: expected,
                             found: found)
            }
            if number == 0 {
                guard row == header else { throw bad("the header '\(header)'", "'\(row.prefix(80))'") }
                continue
            }
            if row.isEmpty { continue }
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6 else { throw bad("6 comma-separated fields", "\(f.count)") }
            guard let label = Int(f[1]), classNames.indices.contains(label) else {
                throw bad("a label in 0..<\(classNames.count)", "'\(f[1])'")
            }
            guard f[2] == classNames[label] else { throw bad("class '\(classNames[label])' for label \(label)", "'\(f[2])'") }
            guard let start = Microseconds(f[3]), let end = Microseconds(f[4]), start <= end else {
                throw bad("start_us ≤ end_us (integers)", "'\(f[3])', '\(f[4])'")
            }
            guard let events = Int(f[5]), events >= 0 else { throw bad("an event count", "'\(f[5])'") }
            guard !f[0].isEmpty, !f[0].hasPrefix("/"), !f[0].split(separator: "/").contains("..") else {
                throw bad("a path inside the folder", "'\(f[0])'")
            }
            entries.append(Entry(file: f[0], label: label, start: start, end: end, events: events))
        }
        return RecordingFolder(directory: directory, classNames: classNames, entries: entries)
    }

    /// Folder names that sort in label order: the class names, or `<label>-<name>` (zero-padded) when the names
    /// do not sort in label order by themselves.
    public static func folderNames(_ classNames: [String]) -> [String] {
        if classNames == classNames.sorted() && Set(classNames).count == classNames.count { return classNames }
        let digits = String(classNames.count - 1).count
        return classNames.enumerated().map { label, name in
            let number = String(label)
            return String(repeating: "0", count: digits - number.count) + number + "-" + name
        }
    }

    static func join(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}

/// Writes a `RecordingFolder`: recordings one by one, then the class list and labels when finished.
public final class RecordingFolderWriter {
    public let directory: String
    public let classNames: [String]
    public let sensor: SensorSize
    public let format: EventFileFormat
    public let options: WriteOptions
    public private(set) var entries: [RecordingFolder.Entry] = []
    /// The folder of each class.
    public let folders: [String]

    /// Prepares `directory` (created if needed) for a new folder of recordings. Refuses a directory that already
    /// holds one, so that a dataset is never half overwritten.
    public init(directory: String, classNames: [String], sensor: SensorSize, format: EventFileFormat = .aedat4,
                options: WriteOptions = WriteOptions()) throws {
        precondition(!classNames.isEmpty, "a recording folder needs at least one class")
        for name in classNames {
            precondition(!name.isEmpty && !name.contains("/") && name != "." && name != ".." && !name.contains(",")
                         && !name.contains("\n"), "class name '\(name)' cannot name a folder or a CSV field")
        }
        self.directory = directory
        self.classNames = classNames
        self.sensor = sensor
        self.format = format
        self.options = options
        let labels = RecordingFolder.join(directory, RecordingFolder.labelsFile)
        if FileManager.default.fileExists(atPath: labels) {
            throw DatasetError(.badLayout, path: labels, expected: "a directory without a dataset in it",
                               found: "an existing labels.csv")
        }
        folders = RecordingFolder.folderNames(classNames)
        for name in folders { try makeDirectory(RecordingFolder.join(directory, name)) }
    }

    private func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DatasetError(.ioFailure, path: path, expected: "a directory that can be created",
                               found: error.localizedDescription)
        }
    }

    /// The extension files of `format` get.
    var fileExtension: String {
        switch format {
        case .aedat4: "aedat4"
        case .aedat1, .aedat2, .aedat3: "aedat"
        case .evt2, .evt3: "raw"
        case .dat: "dat"
        case .nmnist: "bin"
        case .csv: "csv"
        }
    }

    /// Writes one recording of class `label` as the next file and records it; [start, end] is its labelled span.
    @discardableResult
    public func add(_ events: EventBuffer, label: Int, start: Microseconds, end: Microseconds)
        throws(EventFormatError) -> RecordingFolder.Entry {
        precondition(classNames.indices.contains(label), "label \(label) names no class of \(classNames.count)")
        let number = String(entries.count)
        let name = String(repeating: "0", count: max(0, 6 - number.count)) + number + "." + fileExtension
        let file = folders[label] + "/" + name
        let writer = try EventFile.create(path: RecordingFolder.join(directory, file), format: format, sensor: sensor,
                                          options: options)
        try writer.write(events)
        try writer.finish()
        let entry = RecordingFolder.Entry(file: file, label: label, start: start, end: end, events: events.count)
        entries.append(entry)
        return entry
    }

    /// Writes classes.txt and labels.csv; the folder is complete.
    public func finish() throws(EventFormatError) {
        try write(classNames.joined(separator: "\n") + "\n", to: RecordingFolder.classesFile)
        var csv = RecordingFolder.header + "\n"
        for e in entries {
            csv += "\(e.file),\(e.label),\(classNames[e.label]),\(e.start),\(e.end),\(e.events)\n"
        }
        try write(csv, to: RecordingFolder.labelsFile)
    }

    private func write(_ text: String, to name: String) throws(EventFormatError) {
        let output = try FileOutput(path: RecordingFolder.join(directory, name))
        try output.write(text)
        try output.finish()
    }
}
