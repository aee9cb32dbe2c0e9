import Testing
import Foundation
import DVSEvents
import TestSupport
@testable import Datasets

@Suite("Class folders and dataset kinds")
struct ClassFoldersTests {
    @Test("root/<class>/ recordings split per class by name; the sensor comes from the first recording")
    func perClass() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for (k, c) in ["circle", "square"].enumerated() {
            try makeDirectory("\(root.path)/\(c)")
            for i in 0..<10 { try writeEvents(syntheticEvents(50, seed: UInt64(10 * k + i + 1)), to: "\(root.path)/\(c)/\(i).aedat") }
        }
        let train = try ClassFolders.dataset(root: root.path, part: .train)
        let test = try ClassFolders.dataset(root: root.path, part: .test)
        #expect(train.classes == ["circle", "square"] && train.countsPerClass == [9, 9] && test.countsPerClass == [1, 1])
        #expect(test.samples.map(\.name) == ["circle/9.aedat", "square/9.aedat"])
        #expect(train.sensor == .dvs128)
        #expect(try train.events(of: train.samples[0]).count == 50)
        #expect(DatasetKind.detect(root: root.path) == .folders)
    }

    @Test("train/ and test/ parts share one class list even when a class is missing from one part")
    func parts() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for (part, classes) in [("train", ["a", "b", "c"]), ("test", ["a", "c"])] {
            for c in classes {
                try makeDirectory("\(root.path)/\(part)/\(c)")
                try writeEvents(syntheticEvents(20, seed: 3), to: "\(root.path)/\(part)/\(c)/x.aedat")
            }
        }
        let test = try ClassFolders.dataset(root: root.path, part: .test)
        #expect(test.classes == ["a", "b", "c"] && test.samples.map(\.label) == [0, 2])
        #expect(try ClassFolders.dataset(root: root.path, part: .train).samples.count == 3)
    }

    @Test("detects each known layout")
    func detect() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let cifar = root.appendingPathComponent("c").path, gesture = root.appendingPathComponent("g").path
        let nmnist = root.appendingPathComponent("n").path
        for c in CIFAR10DVS.classes { try makeDirectory("\(cifar)/\(c)") }
        try makeDirectory("\(gesture)/DvsGesture")
        touch("\(gesture)/DvsGesture/trials_to_train.txt")
        for d in 0...9 { try makeDirectory("\(nmnist)/Train/\(d)") }
        #expect(DatasetKind.detect(root: cifar) == .cifar10dvs)
        #expect(DatasetKind.detect(root: gesture) == .dvsgesture)
        #expect(DatasetKind.detect(root: nmnist) == .nmnist)
    }

    @Test("an empty root is a layout error")
    func empty() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect { try ClassFolders.dataset(root: root.path, part: .train) } throws: { e in (e as? DatasetError)?.kind == .badLayout }
    }
}
