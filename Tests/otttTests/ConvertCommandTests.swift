import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("ottt convert")
struct ConvertCommandTests {
    func events(_ path: String) throws -> [Event] {
        try EventFile.open(path: path).readAll().events
    }

    @Test("AEDAT 2.0 → AEDAT 4 (each compression) → AEDAT 2.0 keeps every event", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason),
          arguments: ["none", "lz4", "zstd-high"])
    func chain(compression: String) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = SharedMaterial.recording("dvs128_alex_walking_again.aedat")
        let four = dir.appendingPathComponent("a.aedat4").path
        let two = dir.appendingPathComponent("b.aedat").path
        let quiet = ProgressLine("test", enabled: false)
        let first = try ConvertCommand(arguments: Arguments([source, four, "--compression", compression]))
        #expect(try first.convert(progress: quiet) == 19_182)
        try ConvertCommand(arguments: Arguments([four, two])).convert(progress: quiet)
        let original = try events(source)
        #expect(try events(four) == original)
        #expect(try events(two) == original)
        let reader = try #require(try EventFile.open(path: four) as? AEDAT4Reader)
        let expected = WriteOptions.Compression.allCases.firstIndex { $0.rawValue == compression }!
        #expect(reader.compression.rawValue == Int32(expected))
    }

    @Test("the output format comes from --to or the extension; unknown ones are usage errors")
    func outputFormat() throws {
        #expect(try ConvertCommand(arguments: Arguments(["in.aedat", "out.aedat4"])).outputFormat == .aedat4)
        #expect(try ConvertCommand(arguments: Arguments(["in.aedat", "out.bin", "--to", "aedat2"])).outputFormat == .aedat2)
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.aedat", "out.xyz"])) }
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.aedat", "out.aedat4", "--compression", "gzip"])) }
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.aedat"])) }
    }

    @Test("a file that cannot be written (a DVXplorer sensor to AEDAT 2.0 DVS128) fails and leaves no output", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func failureLeavesNothing() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.aedat").path
        let command = try ConvertCommand(arguments: Arguments([SharedMaterial.recording("tonic_sample.aedat4"), out]))
        #expect(throws: EventFormatError.self) { try command.convert(progress: ProgressLine("test", enabled: false)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
