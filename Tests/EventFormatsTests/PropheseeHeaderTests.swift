import DVSEvents
@testable import EventFormats
import Testing

/// The `%` header of raw and .dat files: where the data starts, and where the sensor size comes from.
@Suite("Prophesee % headers")
struct PropheseeHeaderTests {
    func open(_ header: String, _ words: [UInt16] = [0x8000, 0x0001, 0x2002], format: EventFileFormat = .evt3,
              sensor: SensorSize? = nil) throws -> any EventFileReader {
        let path = try Fixture.file("h.raw", Array(header.utf8) + W3.bytes(words))
        var options = ReadOptions()
        options.sensor = sensor
        return try EventFile.open(path: path, format: format, options: options)
    }

    @Test("the sensor comes from geometry, then the format line, then the options, then plugin_name, then the default",
          arguments: [
            ("% evt 3.0\n% format EVT3;width=1280;height=720\n% geometry 320x240\n", nil, 320, 240, "header geometry"),
            ("% evt 3.0\n% format EVT3;height=480;width=640\n", nil, 640, 480, "header format"),
            ("% evt 3.0\n", SensorSize(width: 100, height: 50), 100, 50, "read options"),
            ("% plugin_name hal_plugin_gen3_fx3\n", nil, 640, 480, "plugin_name hal_plugin_gen3_fx3"),
            ("% plugin_name hal_plugin_imx636_evk4\n", nil, 1280, 720, "plugin_name hal_plugin_imx636_evk4"),
            ("% evt 3.0\r\n% serial_number 1\r\n", nil, 1280, 720, "default for headers without geometry"),
          ] as [(String, SensorSize?, Int, Int, String)])
    func sensor(_ header: String, _ given: SensorSize?, _ w: Int, _ h: Int, _ source: String) throws {
        let reader = try open(header, sensor: given)
        #expect(reader.info.sensor == SensorSize(width: w, height: h))
        #expect(reader.info["sensor source"] == source)
        #expect(try reader.readAll().events == [ev(0, 2, 1, 0)])
    }

    @Test("a guessed size is widened to the events seen, never dropping one; a declared size drops, counted",
          arguments: [("% plugin_name hal_plugin_gen3_fx3\n", true), ("% evt 2.0\n", true),
                      ("% evt 2.0\n% geometry 640x480\n", false)])
    func widened(_ header: String, _ guessed: Bool) throws {
        // EVT 2.0: a TIME_HIGH, then CD events at (1500, 900) (outside every guess) and (3, 4).
        func cd(_ x: UInt32, _ y: UInt32) -> UInt32 { (1 << 28) | (x << 11) | y }
        let words: [UInt32] = [8 << 28, cd(1500, 900), cd(3, 4)]
        let bytes = Array(header.utf8) + words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }
        let reader = try EventFile.open(path: try Fixture.file("w.raw", bytes), format: .evt2)
        let events = try reader.readAll()
        if guessed {
            #expect(reader.info.sensor == SensorSize(width: 1501, height: 901))
            #expect(reader.info["sensor source"]?.contains("widened to the events seen") == true)
            #expect(events.count == 2)
        } else {
            #expect(reader.info.sensor == SensorSize(width: 640, height: 480))
            #expect(events.count == 1)
            #expect(reader.warnings.contains { $0.count == 1 })
        }
    }

    @Test("header lines become properties; `% end` ends the header even when data starts with `%`")
    func endLine() throws {
        // 0x8025 is a TIME_HIGH whose first byte is '%'.
        let reader = try open("% evt 3.0\n% serial_number 00000307\n% end\n", [0x8025, 0x0001, 0x2002])
        #expect(reader.info["serial_number"] == "00000307")
        #expect(reader.info["evt"] == "3.0")
        #expect(try reader.readAll().events == [ev(0x25 << 12, 2, 1, 0)])
    }

    @Test("a file without any header is all data")
    func noHeader() throws {
        let reader = try open("")
        #expect(try reader.readAll().events == [ev(0, 2, 1, 0)])
    }

    @Test("a header naming another encoding, or a bad geometry, is refused with its line's offset",
          arguments: [("% evt 2.0\n", Int64(0)), ("% date x\n% format EVT21;width=1;height=1\n", 9),
                      ("% geometry 0x720\n", 0), ("% geometry 5000x2\n", 0), ("% geometry wide\n", 0)])
    func refused(_ header: String, _ offset: Int64) throws {
        let error = #expect(throws: EventFormatError.self) { try open(header) }
        #expect(error?.kind == .badHeader)
        #expect(error?.offset == offset)
        #expect(error?.description.contains("h.raw") == true)
    }

    @Test("a header line longer than 64 KiB is refused instead of read without end")
    func longLine() throws {
        let header = "% " + String(repeating: "x", count: 70_000)
        let error = #expect(throws: EventFormatError.self) { try open(header) }
        #expect(error?.kind == .badHeader)
    }
}
