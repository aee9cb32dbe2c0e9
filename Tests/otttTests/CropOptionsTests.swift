import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("ottt convert --from --until --area")
struct ConvertCropTests {
    /// A 32×32 AEDAT 4 file of events every 100 µs from t = 5000 walking the pixels; returns them.
    static func write(_ path: String) throws -> [Event] {
        let events = (0..<2000).map { (i: Int) -> Event in
            let t: Int64 = 5000 + Int64(i) * 100
            return Event(t: t, x: UInt16(i % 32), y: UInt16((i / 32) % 32), on: i % 2 == 0)
        }
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: SensorSize(width: 32, height: 32), options: WriteOptions())
        try writer.write(EventBuffer(events))
        try writer.finish()
        return events
    }

    @Test("keeps the time range after the first event and the area, shifted; the output's sensor is the area's size")
    func crops() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.aedat4").path, output = dir.appendingPathComponent("out.aedat4").path
        let events = try Self.write(input)
        let command = try ConvertCommand(arguments: Arguments([input, output, "--from", "10ms", "--until", "0.1s", "--area", "4,2,8,6"]))
        let n = try command.convert(progress: ProgressLine("test", enabled: false))
        let expected = events.filter { (e: Event) -> Bool in
            let inTime = e.t >= 15_000 && e.t < 105_000
            return inTime && (4..<12).contains(e.x) && (2..<8).contains(e.y)
        }.map { (e: Event) -> Event in Event(t: e.t, x: e.x - 4, y: e.y - 2, on: e.on) }
        let reader = try EventFile.open(path: output)
        #expect(reader.info.sensor == SensorSize(width: 8, height: 6))
        let got = try reader.readAll().events
        #expect(!expected.isEmpty)
        #expect(got == expected)
        #expect(n == expected.count)
    }

    @Test("an area off the sensor, an empty time range or a malformed area is a usage error")
    func refused() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.aedat4").path, output = dir.appendingPathComponent("out.aedat4").path
        _ = try Self.write(input)
        let offSensor = try ConvertCommand(arguments: Arguments([input, output, "--area", "30,0,8,8"]))
        #expect { try offSensor.convert(progress: ProgressLine("test", enabled: false)) } throws: { error in
            error is UsageError && "\(error)".contains("32×32")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments([input, output, "--from", "2s", "--until", "1s"])) }
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments([input, output, "--until", "5"])) }
        for bad in ["1,2,3", "a,b,c,d", "0,0,0,4", "-1,0,4,4"] {
            #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments([input, output, "--area", bad])) }
        }
    }
}
