import Benchmarks
import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import ottt

/// `info`, `convert` and `frames` read a crashed recording (cut inside a packet) up to the damage and say so,
/// instead of failing.
@Suite("Reading commands on a crashed recording")
final class ReadingUpToDamageTests {
    let dir: URL
    let cut: String
    static let events = SyntheticEvents.uniform(3000, sensor: .dvs128, seed: 3).events

    /// An AEDAT 4 file of three 1,000-event packets, cut in the middle of the third.
    init() throws {
        dir = try SharedMaterial.temporaryDirectory()
        let whole = dir.appendingPathComponent("whole.aedat4").path
        var options = WriteOptions()
        options.eventsPerPacket = 1000
        let writer = try AEDAT4Writer(path: whole, sensor: .dvs128, options: options)
        try writer.write(EventBuffer(Self.events))
        try writer.finish()
        let table = try #require(try AEDAT4Reader(path: whole).dataTable())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        cut = dir.appendingPathComponent("cut.aedat4").path
        try bytes.prefix(Int(table[2].byteOffset) + 20).write(to: URL(fileURLWithPath: cut))
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test("info counts the events before the damage and its warnings say where it stopped")
    func info() throws {
        let report = try InfoCommand(arguments: Arguments([cut])).report()
        #expect(report.statistics.events == 2000)
        #expect(report.warnings.contains { "\($0)".contains("stopped at damage") })
    }

    @Test("convert writes the events before the damage")
    func convert() throws {
        let out = dir.appendingPathComponent("out.aedat4").path
        let n = try ConvertCommand(arguments: Arguments([cut, out])).convert(progress: ProgressLine("test", enabled: false))
        #expect(n == 2000)
        #expect(try EventFile.open(path: out).readAll().events == Array(Self.events.prefix(2000)))
    }

    @Test("frames bins the events before the damage")
    func frames() throws {
        let line = try FramesCommand(arguments: Arguments([cut, "--bins", "2", "--out", dir.appendingPathComponent("png").path])).make()
        #expect(line.contains("2000 events"))
    }
}
