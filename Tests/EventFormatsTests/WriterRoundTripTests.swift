import DVSEvents
@testable import EventFormats
import Testing
import TestSupport

/// Every writer's output reads back exactly through `EventFile.open`, whatever the chunking on either side.
@Suite("Writers round-trip exactly")
struct WriterRoundTripTests {
    /// A deterministic generator (SplitMix64), so failures reproduce.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Events a camera would produce: mostly small time steps, bursts of neighbours on one row at one time (vector
    /// words), polarity runs, corners, a jump across 2^24 µs and a long silence.
    static func events(count: Int, sensor: SensorSize, start: Int64 = 16_700_000, seed: UInt64 = 1) -> [Event] {
        var rng = Rng(state: seed)
        var out: [Event] = []
        var t = start
        out.append(Event(t: t, x: 0, y: 0, on: false))
        out.append(Event(t: t, x: UInt16(sensor.width - 1), y: UInt16(sensor.height - 1), on: true))
        while out.count < count {
            switch rng.below(10) {
            case 0...5:
                t += Int64(rng.below(40))
                out.append(Event(t: t, x: UInt16(rng.below(sensor.width)), y: UInt16(rng.below(sensor.height)),
                                 on: rng.below(2) == 1))
            case 6, 7:  // a burst on one row
                t += Int64(rng.below(3))
                let y = UInt16(rng.below(sensor.height)), on = rng.below(2) == 1
                var x = rng.below(sensor.width)
                for _ in 0..<rng.below(30) where x < sensor.width {
                    out.append(Event(t: t, x: UInt16(x), y: y, on: on))
                    x += 1 + rng.below(3)
                }
            case 8:
                t += Int64(rng.below(5000))
            default:
                t += rng.below(50) == 0 ? 20_000_000 : Int64(rng.below(4096))
            }
        }
        return Array(out.prefix(count))
    }

    static func roundTrip(_ events: [Event], format: EventFileFormat, sensor: SensorSize,
                          writeChunk: Int = 1000, readChunk: Int = 777) throws -> [Event] {
        let path = try Fixture.temporaryFile("round-trip.\(format.rawValue)")
        try write(events, with: try EventFile.create(path: path, format: format, sensor: sensor), chunk: writeChunk)
        let (read, reader) = try Fixture.decode(path, chunkSize: readChunk)
        #expect(reader.info.sensor == sensor || format == .csv)
        let unexpected = reader.warnings.filter { !$0.message.contains("time went backwards") }
        #expect(unexpected.isEmpty, "\(unexpected)")
        return read.events
    }

    @Test("random camera-like events", arguments: EventFile.writableFormats.filter { [.evt2, .evt3, .csv].contains($0) })
    func random(_ format: EventFileFormat) throws {
        let sensor = SensorSize(width: 1280, height: 720)
        let events = Self.events(count: 30_000, sensor: sensor)
        #expect(try Self.roundTrip(events, format: format, sensor: sensor) == events)
    }

    @Test("odd sensors and chunkings", arguments: [EventFileFormat.evt2, .evt3, .csv])
    func small(_ format: EventFileFormat) throws {
        let sensor = SensorSize(width: 34, height: 17)
        let events = Self.events(count: 3000, sensor: sensor, start: 0, seed: 7)
        #expect(try Self.roundTrip(events, format: format, sensor: sensor, writeChunk: 13, readChunk: 1) == events)
    }

    @Test("EVT 3.0: time may step back within a 2^24 µs period, and may cross several periods")
    func evt3Time() throws {
        let sensor = SensorSize(width: 64, height: 64)
        let times: [Int64] = [5, 4, 4096 * 3 + 1, 4096 * 2, (1 << 24) - 1, 1 << 24, (3 << 24) + 5, (3 << 24) + 4095,
                              (3 << 24) + 4096, (5 << 24) + 17]
        let events = times.enumerated().map { Event(t: $1, x: UInt16($0), y: 1, on: $0 % 2 == 0) }
        #expect(try Self.roundTrip(events, format: .evt3, sensor: sensor) == events)
    }

    @Test("EVT 2.0 keeps times up to 2^34 − 1 µs, and time stepping back")
    func evt2Time() throws {
        let sensor = SensorSize(width: 64, height: 64)
        let events = [Event(t: (1 << 34) - 1, x: 1, y: 2, on: true), Event(t: 3, x: 63, y: 63, on: false)]
        #expect(try Self.roundTrip(events, format: .evt2, sensor: sensor) == events)
    }

    @Test("EVT 3.0 writer uses vector words for bursts, and the file is smaller for it")
    func evt3Vectors() throws {
        let sensor = SensorSize(width: 1280, height: 720)
        let burst = (0..<600).map { Event(t: 100, x: UInt16($0 * 2), y: 5, on: true) }
        let path = try Fixture.temporaryFile("burst.raw")
        let writer = try EventFile.create(path: path, format: .evt3, sensor: sensor)
        try writer.write(EventBuffer(burst))
        try writer.finish()
        let (read, _) = try Fixture.decode(path)
        #expect(read.events == burst)
        let header = PropheseeHeader.rawHeader(format: .evt3, sensor: sensor).utf8.count
        let size = try FileInput(path: path).size - Int64(header)
        // TIME_HIGH, TIME_LOW, ADDR_Y, one VECT_BASE_X, then one VECT_12 per 12 columns (6 events): the base
        // advances by 12 to exactly where the next run starts, so no further VECT_BASE_X is needed.
        #expect(size == 2 * (4 + 600 / 6))
    }

    @Test("writers refuse what their format cannot hold",
          arguments: [(EventFileFormat.evt2, Event(t: 1 << 34, x: 0, y: 0, on: true)),
                      (.evt2, Event(t: -1, x: 0, y: 0, on: true)),
                      (.evt3, Event(t: 1 << 40, x: 0, y: 0, on: true)),
                      (.evt3, Event(t: 5, x: 64, y: 0, on: true)),
                      (.csv, Event(t: 5, x: 0, y: 64, on: true))])
    func refuses(_ format: EventFileFormat, _ event: Event) throws {
        let path = try Fixture.temporaryFile("refused")
        let writer = try EventFile.create(path: path, format: format, sensor: SensorSize(width: 64, height: 64))
        #expect(throws: EventFormatError.self) { try writer.write(EventBuffer([event])) }
    }

    @Test("EVT 3.0 refuses a fall into an earlier 2^24 µs period")
    func evt3Backwards() throws {
        let path = try Fixture.temporaryFile("back.raw")
        let writer = try EventFile.create(path: path, format: .evt3, sensor: SensorSize(width: 64, height: 64))
        try writer.write(EventBuffer([Event(t: 1 << 24, x: 0, y: 0, on: true)]))
        let error = #expect(throws: EventFormatError.self) {
            try writer.write(EventBuffer([Event(t: 5, x: 0, y: 0, on: true)]))
        }
        #expect(error?.kind == .timeBackwards)
    }
}
