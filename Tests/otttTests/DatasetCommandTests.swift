import Foundation
import Testing
import DVSEvents
import EventFormats
import TestSupport
import Datasets
@testable import ottt

@Suite("ottt dataset")
struct DatasetCommandTests {
    @Test("lists a class-folder dataset and builds, then reuses, its frame cache")
    func cache() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for c in ["left", "right"] {
            for i in 0..<5 {
                try FileManager.default.createDirectory(atPath: "\(root.path)/\(c)", withIntermediateDirectories: true)
                let events = EventBuffer()
                for k in 0..<200 { events.append(t: Int64(k * 7), x: UInt16((k * 13 + i) % 128), y: UInt16(k % 128), p: UInt8(k & 1)) }
                let w = try EventFile.create(path: "\(root.path)/\(c)/\(i).aedat", format: .aedat2, sensor: .dvs128)
                try w.write(events)
                try w.finish()
            }
        }
        let file = root.appendingPathComponent("train.frames").path
        let command = try DatasetCommand(arguments: Arguments([root.path, "--cache", file, "--frames", "3", "--size", "32"]))
        try command.run()
        let cache = try Datasets.FrameCache(path: file)
        #expect(cache.count == 8 && cache.frameCount == 3 && cache.height == 32 && cache.storage == .uint8)
        let modified = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        try command.run()
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date == modified)
    }

    @Test("usage errors")
    func usage() {
        for args in [[String](), ["r", "--kind", "mnist"], ["r", "--part", "val"], ["r", "--recipe", "fast"], ["r", "--frames", "0"]] {
            #expect(throws: UsageError.self, "\(args)") { try DatasetCommand(arguments: Arguments(args)) }
        }
    }
}
