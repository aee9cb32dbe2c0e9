import Foundation
import Testing
import TestSupport
import DVSEvents
import Datasets

@Suite("class folders")
struct ClassFoldersTests {
    /// root/<class>/<i>.aedat4 for the given classes, `n` recordings each on a 32×24 sensor.
    func make(_ root: String, classes: [String], n: Int) throws {
        for (k, name) in classes.enumerated() {
            try makeDirectory(root + "/" + name)
            for i in 0..<n {
                try writeEvents(syntheticEvents(50, sensor: SensorSize(width: 32, height: 24), seed: UInt64(k * 100 + i)),
                                to: "\(root)/\(name)/\(i).aedat4", format: .aedat4, sensor: SensorSize(width: 32, height: 24))
            }
        }
    }

    @Test("classes are the subfolders by name; every fifth recording is test; the sensor comes from the files")
    func split() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try make(dir.path, classes: ["b", "a"], n: 10)
        let train = try ClassFolders.dataset(root: dir.path, part: .train)
        let test = try ClassFolders.dataset(root: dir.path, part: .test)
        #expect(train.classes == ["a", "b"])
        #expect(train.sensor == SensorSize(width: 32, height: 24))
        #expect(train.countsPerClass == [8, 8] && test.countsPerClass == [2, 2])
        #expect(test.samples.map(\.name) == ["a/4.aedat4", "a/9.aedat4", "b/4.aedat4", "b/9.aedat4"])
        #expect(Set(train.samples.map(\.name)).isDisjoint(with: test.samples.map(\.name)))
        #expect(try train.events(of: train.samples[0]).count == 50)
    }

    @Test("classes.txt gives the label order; train/ and test/ folders give the parts")
    func listedAndParted() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try make(dir.path + "/train", classes: ["zero", "one"], n: 3)
        try make(dir.path + "/test", classes: ["zero", "one"], n: 1)
        try "zero\none\n".write(toFile: dir.path + "/classes.txt", atomically: true, encoding: .utf8)
        let train = try ClassFolders.dataset(root: dir.path, part: .train)
        let test = try ClassFolders.dataset(root: dir.path, part: .test)
        #expect(train.classes == ["zero", "one"] && train.countsPerClass == [3, 3])
        #expect(test.countsPerClass == [1, 1])
        #expect(test.samples.first?.label == 0 && test.samples.first?.name == "zero/0.aedat4")
    }

    @Test("an empty folder, a missing class folder and no recordings are layout errors")
    func errors() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: DatasetError.self) { try ClassFolders.dataset(root: dir.path, part: .train) }
        try makeDirectory(dir.path + "/a")
        #expect(throws: DatasetError.self) { try ClassFolders.dataset(root: dir.path, part: .train) }
        try "a\nb\n".write(toFile: dir.path + "/classes.txt", atomically: true, encoding: .utf8)
        let error = #expect(throws: DatasetError.self) { try ClassFolders.dataset(root: dir.path, part: .train) }
        #expect(error?.found == "no folder 'b'")
        #expect(throws: DatasetError.self) { try ClassFolders.dataset(root: dir.path + "/nothing", part: .train) }
    }
}
