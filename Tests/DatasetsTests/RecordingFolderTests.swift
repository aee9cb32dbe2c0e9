import DVSEvents
import Datasets
import EventFormats
import Foundation
import Testing
import TestSupport

@Suite("RecordingFolder")
struct RecordingFolderTests {
    func events(_ n: Int, seed: Int) -> EventBuffer {
        EventBuffer((0..<n).map { i in
            Event(t: Int64(i * 10 + seed), x: UInt16((i * 7 + seed) % 16), y: UInt16(i % 8), on: (i + seed) % 2 == 0)
        })
    }

    @Test("writes one file per sample in its class folder, and reads back labels and events")
    func roundTrip() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let writer = try RecordingFolderWriter(directory: dir, classNames: ["left", "right"],
                                               sensor: SensorSize(width: 16, height: 8))
        try writer.add(events(5, seed: 1), label: 1, start: 0, end: 100)
        try writer.add(events(3, seed: 2), label: 0, start: 0, end: 50)
        try writer.add(events(0, seed: 3), label: 1, start: 0, end: 10)
        try writer.finish()

        let folder = try RecordingFolder.read(directory: dir)
        #expect(folder.classNames == ["left", "right"])
        #expect(folder.entries == [
            .init(file: "right/000000.aedat4", label: 1, start: 0, end: 100, events: 5),
            .init(file: "left/000001.aedat4", label: 0, start: 0, end: 50, events: 3),
            .init(file: "right/000002.aedat4", label: 1, start: 0, end: 10, events: 0),
        ])
        for (entry, seed) in zip(folder.entries, [1, 2, 3]) {
            let reader = try EventFile.open(path: folder.path(of: entry))
            #expect(reader.info.sensor == SensorSize(width: 16, height: 8))
            #expect(try reader.readAll().events == events(entry.events, seed: seed).events)
        }
        // A second dataset into the same directory is refused rather than mixed in.
        #expect(throws: DatasetError.self) {
            _ = try RecordingFolderWriter(directory: dir, classNames: ["a"], sensor: SensorSize(width: 1, height: 1))
        }
        // ClassFolders reads the same labels from the class folders.
        let dataset = try ClassFolders.dataset(root: dir, part: .train, trainFraction: 1)
        #expect(DatasetKind.detect(root: dir) == .folders)
        #expect(dataset.classes == ["left", "right"])
        #expect(dataset.sensor == SensorSize(width: 16, height: 8))
        #expect(Set(dataset.samples.map { "\($0.name),\($0.label)" })
                == Set(folder.entries.map { "\($0.file),\($0.label)" }))
    }

    @Test("class folders sort in label order, whatever the class names")
    func folderNames() throws {
        #expect(RecordingFolder.folderNames(["0", "1", "2"]) == ["0", "1", "2"])
        let motion = ["right", "up", "left", "down", "a", "b", "c", "d", "e", "f", "g"]
        let folders = RecordingFolder.folderNames(motion)
        #expect(folders.first == "00-right" && folders.last == "10-g")
        #expect(folders.sorted() == folders)
        // A digits folder (classes 0…9) is a synth folder, not N-MNIST, for DatasetKind.
        let dir = try SharedMaterial.temporaryDirectory().path
        let writer = try RecordingFolderWriter(directory: dir, classNames: (0...9).map(String.init),
                                               sensor: SensorSize(width: 16, height: 8))
        try writer.add(events(2, seed: 0), label: 3, start: 0, end: 30)
        try writer.finish()
        #expect(DatasetKind.detect(root: dir) == .folders)
        let dataset = try ClassFolders.dataset(root: dir, part: .train, trainFraction: 1)
        #expect(dataset.samples.map(\.label) == [3])
    }

    func folder(classes: String, labels: String) throws -> String {
        let dir = try SharedMaterial.temporaryDirectory()
        try classes.write(to: dir.appendingPathComponent("classes.txt"), atomically: true, encoding: .utf8)
        try labels.write(to: dir.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
        return dir.path
    }

    static let header = "file,label,class,start_us,end_us,events\n"

    @Test("bad label files name the line and what was wrong", arguments: [
        (header + "a/1.aedat4,2,a,0,10,5\n", "line 2", "a label in 0..<2"),
        (header + "a/1.aedat4,0,b,0,10,5\n", "line 2", "class 'a' for label 0"),
        (header + "a/1.aedat4,0,a,0,10,5\na/2.aedat4,1,b,20,10,5\n", "line 3", "start_us ≤ end_us (integers)"),
        (header + "a/1.aedat4,0,a,0,10\n", "line 2", "6 comma-separated fields"),
        (header + "../x.aedat4,0,a,0,10,5\n", "line 2", "a path inside the folder"),
        ("name,label\n", "line 1", "the header 'file,label,class,start_us,end_us,events'"),
    ])
    func badLabels(_ labels: String, _ line: String, _ expected: String) throws {
        let dir = try folder(classes: "a\nb\n", labels: labels)
        let error = #expect(throws: DatasetError.self) { try RecordingFolder.read(directory: dir) }
        #expect(error?.kind == .badLabels)
        #expect(error?.location == line, "\(String(describing: error))")
        #expect(error?.expected == expected, "\(String(describing: error))")
    }

    @Test("a directory without a dataset says what it lacks")
    func missing() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let error = #expect(throws: DatasetError.self) { try RecordingFolder.read(directory: dir) }
        #expect(error?.kind == .missing)
        #expect(error?.path.hasSuffix("classes.txt") == true)
    }
}
