import Testing
import Foundation
import DVSEvents
import EventFormats
import EventBinning
import TestSupport
@testable import Datasets

@Suite("CIFAR10-DVS")
struct CIFAR10DVSTests {
    /// root/<class>/cifar10_<class>_<i>.aedat for i in 0..<n, empty.
    func emptyLayout(_ n: Int, ext: String = "aedat", under sub: String? = nil) throws -> URL {
        let root = try SharedMaterial.temporaryDirectory()
        let base = sub.map { root.appendingPathComponent($0).path } ?? root.path
        for c in CIFAR10DVS.classes {
            try makeDirectory("\(base)/\(c)")
            for i in 0..<n { touch("\(base)/\(c)/cifar10_\(c)_\(i).\(ext)") }
        }
        return root
    }

    @Test("OTTT split: the first 90 % of each class by recording number train, the rest test")
    func otttSplit() throws {
        let root = try emptyLayout(20)
        defer { try? FileManager.default.removeItem(at: root) }
        let train = try CIFAR10DVS.dataset(root: root.path, part: .train)
        let test = try CIFAR10DVS.dataset(root: root.path, part: .test)
        #expect(train.countsPerClass == Array(repeating: 18, count: 10))
        #expect(test.countsPerClass == Array(repeating: 2, count: 10))
        #expect(test.samples.prefix(2).map(\.name) == ["airplane/cifar10_airplane_18.aedat", "airplane/cifar10_airplane_19.aedat"])
        #expect(train.samples[2].name == "airplane/cifar10_airplane_2.aedat")     // numeric order: 2 before 10
        #expect(test.samples.last!.label == 9)
        #expect(train.readOptions.dvs128Convention == .ottt)
    }

    @Test("SpikingJelly split: the first 10 % test, the rest train; 1000 per class gives 900/100 and 100/900")
    func spikingJellySplit() throws {
        let root = try emptyLayout(20)
        defer { try? FileManager.default.removeItem(at: root) }
        let test = try CIFAR10DVS.dataset(root: root.path, part: .test, split: .spikingJelly)
        #expect(test.samples.prefix(2).map(\.name) == ["airplane/cifar10_airplane_0.aedat", "airplane/cifar10_airplane_1.aedat"])
        let ranks = (0..<1000)
        #expect(ranks.filter { CIFAR10DVS.Split.ottt.contains(rank: $0, of: 1000, .train) } == Array(0..<900))
        #expect(ranks.filter { CIFAR10DVS.Split.spikingJelly.contains(rank: $0, of: 1000, .test) } == Array(0..<100))
    }

    @Test("tonic's AEDAT 4 re-encoding under CIFAR10DVS/ is found")
    func tonicLayout() throws {
        let root = try emptyLayout(10, ext: "aedat4", under: "CIFAR10DVS")
        defer { try? FileManager.default.removeItem(at: root) }
        let train = try CIFAR10DVS.dataset(root: root.path, part: .train)
        #expect(train.samples.count == 90 && train.samples[0].path.hasSuffix("CIFAR10DVS/airplane/cifar10_airplane_0.aedat4"))
    }

    @Test("a missing class folder or an empty one is an error naming it")
    func badLayouts() throws {
        let root = try emptyLayout(3)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(atPath: root.appendingPathComponent("truck").path)
        #expect { try CIFAR10DVS.dataset(root: root.path, part: .train) } throws: { e in
            (e as? DatasetError)?.kind == .badLayout && "\(e)".contains("truck")
        }
        try makeDirectory(root.appendingPathComponent("truck").path)
        #expect { try CIFAR10DVS.dataset(root: root.path, part: .train) } throws: { e in
            (e as? DatasetError)?.found == "none"
        }
    }

    @Test("recordings written with our AEDAT 2.0 writer come back as the frames of their events")
    func syntheticRecordings() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var originals: [String: EventBuffer] = [:]
        for (k, c) in CIFAR10DVS.classes.enumerated() {
            try makeDirectory("\(root.path)/\(c)")
            for i in 0..<2 {
                let ev = syntheticEvents(300 + 10 * k + i, seed: UInt64(k * 2 + i + 1))
                let path = "\(root.path)/\(c)/cifar10_\(c)_\(i).aedat"
                try writeEvents(ev, to: path)
                originals[path] = ev
            }
        }
        let test = try CIFAR10DVS.dataset(root: root.path, part: .test)
        #expect(test.samples.count == 10)
        let recipe = FrameRecipe(slicing: .eventCount(frames: 4), resize: nil)
        for s in test.samples {
            let expected = EventBinner(sensor: .dvs128, slicing: .eventCount(frames: 4)).frames(of: originals[s.path]!).frames
            #expect(firstDifference(try test.frames(of: s, recipe: recipe).values, expected.values) == nil, "\(s.name)")
        }
    }

    @Test("tonic's AEDAT 4 re-encoding, written with our AEDAT 4 writer, reads back as its events")
    func aedat4Recordings() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var originals: [String: EventBuffer] = [:]
        for (k, c) in CIFAR10DVS.classes.enumerated() {
            try makeDirectory("\(root.path)/CIFAR10DVS/\(c)")
            for i in 0..<10 {
                let path = "\(root.path)/CIFAR10DVS/\(c)/\(i).aedat4"
                if i == 9 {
                    let ev = syntheticEvents(200 + k, seed: UInt64(100 + k))
                    try writeEvents(ev, to: path, format: .aedat4)
                    originals[path] = ev
                } else {
                    touch(path)
                }
            }
        }
        let test = try CIFAR10DVS.dataset(root: root.path, part: .test)
        #expect(test.samples.count == 10)
        for s in test.samples {
            #expect(try test.events(of: s).events == originals[s.path]!.events, "\(s.name)")
        }
    }

    @Test("a mock layout of the real DVS128 recordings builds a paper-mode frame cache equal to direct binning",
          .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func mockFromRecordings() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let sources = ["dvs128_alex_walking_again.aedat", "dvs128_cam255_right_clamp_test1.aedat"]
        for c in CIFAR10DVS.classes {
            try makeDirectory("\(root.path)/\(c)")
            for (i, s) in sources.enumerated() {
                try FileManager.default.copyItem(atPath: SharedMaterial.recording(s), toPath: "\(root.path)/\(c)/cifar10_\(c)_\(i).aedat")
            }
        }
        let test = try CIFAR10DVS.dataset(root: root.path, part: .test)
        #expect(test.samples.count == 10 && test.samples.allSatisfy { $0.path.hasSuffix("_1.aedat") })
        let events = try test.events(of: test.samples[0])
        #expect(events.count == 110_228)
        let recipe = FrameRecipe.paper()
        let cachePath = root.appendingPathComponent("test.frames").path
        let cache = try test.frameCache(at: cachePath, recipe: recipe, threads: 2)
        #expect(cache.count == 10 && cache.frameCount == 10 && cache.height == 48 && cache.storage == .uint8)
        let direct = recipe.frames(of: events, sensor: .dvs128)
        #expect(firstDifference(cache.frames(3).values, direct.values) == nil)
        #expect((0..<10).map(cache.label) == Array(0..<10))
        // Opening again with the same recipe reuses the file; a different recipe rebuilds it.
        let again = try test.frameCache(at: cachePath, recipe: recipe)
        #expect(again.key == cache.key)
        let other = try test.frameCache(at: cachePath, recipe: .clean(frames: 2, size: 32))
        #expect(other.frameCount == 2 && other.height == 32 && other.storage == .float32)
    }
}
