import Testing
import Foundation
import EventBinning
import TestSupport
@testable import Datasets

@Suite("FrameCache")
struct FrameCacheTests {
    func sample(_ i: Int, scale: Float = 1) -> Frames {
        var f = Frames(count: 3, height: 4, width: 5)
        for k in 0..<f.values.count { f.values[k] = Float((k * 7 + i * 13) % 300) / scale }
        return f
    }

    @Test("round trip in each storage; integer storages saturate and count what they clamp", arguments: FrameCache.Storage.allCases)
    func roundTrip(storage: FrameCache.Storage) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.frames").path
        let labels = [3, 1, 4, 1, 5, 9, 2]
        let report = try FrameCache.build(path: path, key: "k", storage: storage, frameCount: 3, height: 4, width: 5,
                                          labels: labels, threads: 2) { i in self.sample(i) }
        let cache = try FrameCache(path: path, expectedKey: "k")
        #expect(cache.count == 7 && (0..<7).map(cache.label) == labels && report.samples == 7)
        for i in 0..<7 {
            let expected = sample(i).values.map { storage == .uint8 ? min($0, 255) : $0 }
            #expect(firstDifference(cache.frames(i).values, expected) == nil, "sample \(i)")
        }
        #expect(report.clampedValues == (storage == .uint8 ? (0..<7).map { i in sample(i).values.filter { $0 > 255 }.count }.reduce(0, +) : 0))
    }

    @Test("a scale stores bytes/255 values exactly as UInt8")
    func scaled() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.frames").path
        let f = Frames(count: 1, height: 2, width: 2, values: (0..<8).map { Float($0 * 31) / 255 })
        let report = try FrameCache.build(path: path, key: "", storage: .uint8, scale: 255, frameCount: 1, height: 2,
                                          width: 2, labels: [0]) { _ in f }
        #expect(report.inexactValues == 0 && report.clampedValues == 0)
        #expect(firstDifference(try FrameCache(path: path).frames(0).values, f.values) == nil)
    }

    @Test("a different key is a stale cache; a truncated or foreign file is a bad one")
    func errors() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.frames").path
        try FrameCache.build(path: path, key: "recipe A", storage: .float32, frameCount: 3, height: 4, width: 5,
                             labels: [0, 1]) { i in self.sample(i) }
        #expect { try FrameCache(path: path, expectedKey: "recipe B") } throws: { e in (e as? DatasetError)?.kind == .staleCache }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 1).write(to: URL(fileURLWithPath: path))
        #expect { try FrameCache(path: path) } throws: { e in
            (e as? DatasetError)?.kind == .badCache && "\(e)".contains("bytes")
        }
        var huge = bytes
        huge.replaceSubrange(20..<24, with: [0xFF, 0xFF, 0x0F, 0x00])      // T = 2^20 − 1
        huge.replaceSubrange(32..<40, with: [0, 0, 0, 0, 0xFF, 0, 0, 0])   // count ≈ 2^39
        try huge.write(to: URL(fileURLWithPath: path))
        #expect { try FrameCache(path: path) } throws: { e in (e as? DatasetError)?.kind == .badCache }
        bytes[0] = 0x41
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { try FrameCache(path: path) } throws: { e in (e as? DatasetError)?.expected == "magic OTTTFRM1" }
        #expect { try FrameCache(path: dir.appendingPathComponent("none").path) } throws: { e in (e as? DatasetError)?.kind == .missing }
    }

    @Test("a label out of range names the file, the label's byte and the range (#21)", arguments: [Int32(-1), 100_000, Int32.max])   // 100,000: the default limit
    func labelOutOfLimit(label: Int32) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.frames").path
        try FrameCache.build(path: path, key: "k", storage: .uint8, frameCount: 3, height: 4, width: 5,
                             labels: [0, 1, 2]) { i in self.sample(i) }
        // Labels start at the first 64-byte boundary after the 48-byte header and the key: byte 64; sample 2's at 72.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes[72..<76].elementsEqual([2, 0, 0, 0]), "the layout the test patches")
        withUnsafeBytes(of: label.littleEndian) { bytes.replaceSubrange(72..<76, with: $0) }
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { try FrameCache(path: path) } throws: { e in
            guard let e = e as? DatasetError else { return false }
            return e.kind == .badCache && e.path == path && e.location == "byte 72" && e.found == "\(label)"
                && e.expected.hasPrefix("a label from 0 to ") && e.expected.contains("--max-classes")
        }
    }

    @Test("labels beyond the dataset's classes: the cache opens, and checkLabels names the first one's byte (#21)")
    func labelBeyondClasses() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.frames").path
        try FrameCache.build(path: path, key: "k", storage: .float32, frameCount: 3, height: 4, width: 5,
                             labels: [0, 4, 1, 9]) { i in self.sample(i) }
        let cache = try FrameCache(path: path)
        #expect(cache.labelBound == 10)
        try cache.checkLabels(below: 10)
        #expect { try cache.checkLabels(below: 4) } throws: { e in
            guard let e = e as? DatasetError else { return false }
            return e.kind == .badCache && e.path == path && e.location == "byte 68" && e.found == "4 for sample 1"
                && e.expected.contains("0 to 3") && "\(e)".contains(path)
        }
    }

    @Test("a producer's error stops the build and leaves no file behind")
    func producerError() throws {
        struct Boom: Error {}
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.frames").path
        #expect(throws: Boom.self) {
            try FrameCache.build(path: path, key: "", storage: .float32, frameCount: 3, height: 4, width: 5,
                                 labels: [0, 1, 2]) { i in if i == 1 { throw Boom() }; return self.sample(i) }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
