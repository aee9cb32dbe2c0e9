import EventFormats
import Foundation
import Testing
import TestSupport
@testable import Benchmarks

@Suite("decode benchmark")
struct DecodeBenchmarkTests {
    @Test("covers every writable format, and its write-then-check passes on a small run")
    func smallRun() throws {
        let names = DecodeCase.all.map(\.name)
        for name in ["aedat4", "aedat4-lz4", "aedat4-zstd", "aedat2", "evt2", "evt3", "csv"] {
            #expect(names.contains(name), "no decode case \(name)")
        }
        var options = DecodeBenchmark.Options()
        (options.events, options.runs) = (3000, 1)
        var results: [DecodeBenchmark.Result] = []
        try DecodeBenchmark.run(options) { results.append($0) }
        #expect(results.map(\.format) == names)
        #expect(results.allSatisfy { $0.events == 3000 && $0.bytes > 0 && $0.meventsPerSecond > 0 })
    }

    @Test("--keep leaves the written files, in packets of 10,000 events, and --files times them")
    func keep() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = DecodeBenchmark.Options()
        (options.events, options.runs, options.keep) = (25_000, 1, dir.path)
        options.cases = [try #require(DecodeCase.named("aedat4-zstd"))]
        try DecodeBenchmark.run(options) { _ in }
        let path = dir.appendingPathComponent("events.aedat4-zstd").path
        let reader = try AEDAT4Reader(path: path)
        #expect(reader.compression == .zstd)
        #expect(try reader.dataTable()?.map(\.elements) == [10_000, 10_000, 5_000])
        var files = DecodeBenchmark.Options()
        (files.files, files.runs) = ([path], 1)
        var results: [DecodeBenchmark.Result] = []
        try DecodeBenchmark.run(files) { results.append($0) }
        #expect(results.count == 1 && results[0].events == 25_000 && results[0].format == "events.aedat4-zstd")
    }

    @Test("a result encodes with the field names scripts read")
    func json() throws {
        let r = DecodeBenchmark.Result(format: "evt3", label: "EVT 3.0", events: 10, bytes: 40, runs: 1,
                                       bestCPUSeconds: 0.5, bestWallSeconds: 0.6, meventsPerSecond: 20)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any])
        #expect(object["benchmark"] as? String == "decode" && object["mevents_per_s"] as? Double == 20)
        #expect(object["best_cpu_seconds"] as? Double == 0.5 && object["peer"] == nil)
        #expect(!r.line.contains("ANCHORS") && r.line.contains("20 M events/s"))
    }

    @Test("a file's size follows a symbolic link (not the link's own size)")
    func symlinkSize() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("data").path, link = dir.appendingPathComponent("link").path
        try Data(repeating: 7, count: 12_345).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(DecodeBenchmark.size(of: link) == 12_345)
    }
}
