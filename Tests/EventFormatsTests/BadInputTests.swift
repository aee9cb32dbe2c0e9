import DVSEvents
@testable import EventFormats
import Testing

/// Truncated files, garbage, wrong headers, coordinates outside the sensor and time going backwards: a typed error
/// naming file, offset and expectation, or a counted skip with a warning. Never a crash, a hang or a silent loss.
@Suite("Bad input")
struct BadInputTests {
    func reader(_ name: String, _ bytes: [UInt8], _ format: EventFileFormat,
                sensor: SensorSize? = nil) throws -> any EventFileReader {
        var options = ReadOptions()
        options.sensor = sensor
        options.chunkSize = 7
        return try EventFile.open(path: try Fixture.file(name, bytes), format: format, options: options)
    }

    @Test("a file cut inside a record keeps the events before it and warns about the trailing bytes",
          arguments: [
            (EventFileFormat.evt3, Array("% evt 3.0\n".utf8) + W3.bytes([0x8000, 0x0001, 0x2002]) + [0x03], 1, 1),
            (.evt2, W2.bytes([W2.timeHigh(64), W2.cd(65, 1, 2, on: true)]) + [1, 2, 3], 1, 3),
            (.nmnist, [1, 2, 0x80, 0, 9, 3, 4], 1, 2),
            (.dat, Array("% Version 2\n".utf8) + [0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 2], 1, 1),
          ] as [(EventFileFormat, [UInt8], Int, Int)])
    func truncated(_ format: EventFileFormat, _ bytes: [UInt8], _ events: Int, _ trailing: Int) throws {
        let r = try reader("cut", bytes, format)
        #expect(try r.readAll().count == events)
        let warning = r.warnings.first { $0.message.contains("ends inside") }
        #expect(warning?.message.contains("\(trailing) trailing bytes") == true)
        #expect(warning?.offset == Int64(bytes.count - trailing))
    }

    @Test("garbage never crashes: every reader either throws a format error or reads events on the sensor",
          arguments: [EventFileFormat.evt2, .evt3, .dat, .nmnist, .csv])
    func garbage(_ format: EventFileFormat) throws {
        var rng = WriterRoundTripTests.Rng(state: 42)
        for trial in 0..<20 {
            let bytes = (0..<(trial * 97 + 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            do {
                let r = try reader("garbage-\(trial)", bytes, format)
                let events = try r.readAll()
                for i in 0..<events.count {
                    #expect(r.info.sensor.contains(x: Int(events.x[i]), y: Int(events.y[i])))
                }
            } catch let error as EventFormatError {
                #expect(error.file.hasSuffix("garbage-\(trial)"))
            }
        }
    }

    @Test(".dat headers: external-trigger files, wrong event sizes and missing type bytes are refused")
    func datHeaders() throws {
        let header = Array("% Version 2\n".utf8)
        let trigger = #expect(throws: EventFormatError.self) { try reader("t.dat", header + [14, 8], .dat) }
        #expect(trigger?.kind == .unsupported)
        let size = #expect(throws: EventFormatError.self) { try reader("s.dat", header + [12, 4], .dat) }
        #expect(size?.kind == .badHeader)
        #expect(size?.offset == Int64(header.count + 1))
        let cut = #expect(throws: EventFormatError.self) { try reader("c.dat", header + [12], .dat) }
        #expect(cut?.kind == .truncated)
    }

    @Test(".dat: events outside the sensor are skipped and counted, time going back is kept and counted, and a 32-bit wrap continues in 64 bits")
    func datRecords() throws {
        func rec(_ t: UInt32, _ x: UInt32, _ y: UInt32, _ p: UInt32) -> [UInt8] {
            let w = x | y << 14 | p << 28
            return (0..<4).map { UInt8(truncatingIfNeeded: t >> (8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) }
        }
        let bytes = Array("% Width 10\n% Height 5\n".utf8) + [12, 8] + rec(100, 1, 2, 1) + rec(90, 10, 1, 0)
            + rec(80, 3, 4, 0) + rec(0xFFFF_FFF0, 9, 4, 1) + rec(5, 0, 0, 0)
        let r = try reader("r.dat", bytes, .dat)
        #expect(r.info.sensor == SensorSize(width: 10, height: 5))
        #expect(try r.readAll().events == [ev(100, 1, 2, 1), ev(80, 3, 4, 0), ev(0xFFFF_FFF0, 9, 4, 1), ev((1 << 32) + 5, 0, 0, 0)])
        #expect(r.warnings.map(\.count) == [1, 1])
        #expect(r.warnings[0].offset == Int64(bytes.count - 4 * 8))
    }

    @Test("a missing file or a directory is a cannot-open error naming it")
    func cannotOpen() throws {
        let error = #expect(throws: EventFormatError.self) {
            try EventFile.open(path: "/nonexistent/x.raw", format: .evt3)
        }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.description.contains("/nonexistent/x.raw") == true)
        #expect(throws: EventFormatError.self) { try EventFile.open(path: "/tmp", format: .csv) }
    }
}
