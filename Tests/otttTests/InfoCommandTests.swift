import Foundation
import Testing
import TestSupport
import DVSEvents
@testable import ottt

@Suite("ottt info")
struct InfoCommandTests {
    @Test("reports format, sensor, streams, events and ON/OFF of the tonic sample", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func tonicSample() throws {
        let path = SharedMaterial.recording("tonic_sample.aedat4")
        let report = try InfoCommand(arguments: Arguments([path])).report()
        #expect(report.format == .aedat4)
        #expect(report.statistics.events == 111_954)
        #expect(report.statistics.on == 55_023)
        #expect(report.statistics.off == 56_931)
        #expect(report.statistics.duration == Int64(1_605_537_494_308_262 - 1_605_537_493_718_345))
        let text = report.text
        #expect(text.contains("320×240"))
        #expect(text.contains("stream 2"))
        #expect(text.contains("IMUS"))
        #expect(text.contains("111954 (ON 55023, OFF 56931)"))
    }

    @Test("--json is one parseable object with the counts", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func json() throws {
        let path = SharedMaterial.recording("dvs128_alex_walking_again.aedat")
        let report = try InfoCommand(arguments: Arguments([path, "--json"])).report()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "aedat2")
        #expect(object["events"] as? Int == 19_182)
        #expect(object["on"] as? Int == 7102)
        #expect((object["sensor"] as? [String: Int])?["width"] == 128)
    }

    @Test("--drop-backwards drops AEDAT 2.0 records after a backwards step (convert too); info counts kept or dropped",
          arguments: [false, true])
    func dropBackwards(drop: Bool) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("back.aedat").path
        // Big-endian (address, timestamp) records: time steps back from 200 to 150 and 160, then on to 300.
        var bytes = Array("#!AER-DAT2.0\n# AEChip: DVS128\n".utf8)
        for t: UInt32 in [100, 200, 150, 160, 300] {
            withUnsafeBytes(of: UInt32(2).bigEndian) { bytes += $0 }
            withUnsafeBytes(of: t.bigEndian) { bytes += $0 }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let flag = drop ? ["--drop-backwards"] : []
        let report = try InfoCommand(arguments: Arguments([path] + flag)).report()
        #expect(report.statistics.events == (drop ? 3 : 5))
        let warning = try #require(report.warnings.first { $0.message.contains("backwards") })
        // Kept: one step back (150; 160 follows it). Dropped: every record until time is past 200 again (150, 160).
        #expect(warning.count == (drop ? 2 : 1) && warning.message.contains(drop ? "skipped" : "kept"))
        #expect(report.text.contains(drop ? "skipped" : "kept"))
        let out = dir.appendingPathComponent("out.csv").path
        #expect(try ConvertCommand(arguments: Arguments([path, out] + flag)).convert(progress: ProgressLine("test", enabled: false))
                == (drop ? 3 : 5))
        #expect(InfoCommand.usage.contains("--drop-backwards") && ConvertCommand.usage.contains("--drop-backwards"))
    }

    @Test("a bad --format or --convention is a usage error")
    func usageErrors() {
        #expect(throws: UsageError.self) { try InfoCommand(arguments: Arguments(["x", "--format", "nope"])) }
        #expect(throws: UsageError.self) { try InfoCommand(arguments: Arguments(["x", "--convention", "nope"])) }
        #expect(throws: UsageError.self) { try InfoCommand(arguments: Arguments([])) }
    }
}

@Suite("EventStatistics")
struct EventStatisticsSpanTests {
    @Test("a span of 2^63 µs has no Int64 duration but a finite one in seconds, and no trap")
    func span() {
        var s = EventStatistics()
        s.add(EventBuffer([Event(t: .min + 1, x: 0, y: 0, on: true), Event(t: .max, x: 1, y: 1, on: false)]))
        #expect(s.duration == nil)
        #expect(s.seconds > 1.8e13)
        #expect(s.rate != nil)
    }
}

/// Issue 20: CSV's sensor and time unit, given or inferred, as `info` shows them.
@Suite("ottt info: CSV sensor and time unit")
struct InfoCSVTests {
    func report(_ text: String, _ flags: [String]) throws -> InfoCommand.Report {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/e.csv", atomically: false, encoding: .utf8)
        return try InfoCommand(arguments: Arguments([dir + "/e.csv"] + flags)).report()
    }

    @Test("without --sensor info says the sensor was inferred, and from what")
    func inferred() throws {
        let r = try report("1,300,3,1\n2,5,250,0\n", [])
        #expect(r.info.sensor == .davis346)
        #expect(r.text.contains("sensor         346×260 (inferred)"), "\(r.text)")
        #expect(r.text.contains("max x + 1, max y + 1 = 301×251), rounded up to DAVIS346"), "\(r.text)")
    }

    @Test("--sensor and --time-unit reach the reader")
    func given() throws {
        let r = try report("t,x,y,p\n0.5,1,1,1\n1.5,2,2,0\n", ["--sensor", "8x4", "--time-unit", "s"])
        #expect(r.info.sensor == SensorSize(width: 8, height: 4))
        #expect(!r.text.contains("inferred"))
        #expect(r.statistics.firstT == 500_000 && r.statistics.lastT == 1_500_000)
    }

    @Test("a bad --sensor or --time-unit is a usage error", arguments: [["--sensor", "346"], ["--sensor", "0x5"],
                                                                        ["--sensor", "axb"], ["--time-unit", "min"]])
    func usageErrors(words: [String]) {
        #expect(throws: UsageError.self) { try InfoCommand(arguments: Arguments(["x.csv"] + words)) }
    }
}
