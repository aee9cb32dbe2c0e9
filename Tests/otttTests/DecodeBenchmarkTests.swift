import Foundation
import Testing
import EventFormats
import TestSupport
@testable import ottt

@Suite("ottt bench decode")
struct DecodeBenchmarkTests {
    @Test("covers every writable format, and its write-then-check passes on a small run")
    func smallRun() throws {
        let names = DecodeBenchmark.cases.map(\.name)
        for name in ["aedat4", "aedat4-lz4", "aedat4-zstd", "aedat2", "evt2", "evt3", "csv"] {
            #expect(names.contains(name), "no decode case \(name)")
        }
        try DecodeBenchmark(arguments: Arguments(["--events", "3000", "--runs", "1"])).run()
    }

    @Test("--keep leaves the written files, in packets of 10,000 events as the peers' file, and --files times them")
    func keep() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try DecodeBenchmark(arguments: Arguments(["--events", "25000", "--runs", "1", "--formats", "aedat4-zstd",
                                                  "--keep", dir.path])).run()
        let reader = try AEDAT4Reader(path: dir.appendingPathComponent("events.aedat4-zstd").path)
        #expect(reader.compression == .zstd)
        #expect(try reader.dataTable()?.map(\.elements) == [10_000, 10_000, 5_000])
        try DecodeBenchmark(arguments: Arguments(["--files", dir.appendingPathComponent("events.aedat4-zstd").path,
                                                  "--runs", "1"])).run()
    }

    @Test("an unknown format in --formats is a usage error")
    func unknownFormat() {
        #expect(throws: UsageError.self) {
            try DecodeBenchmark(arguments: Arguments(["--formats", "evt2,nope"]))
        }
    }
}
