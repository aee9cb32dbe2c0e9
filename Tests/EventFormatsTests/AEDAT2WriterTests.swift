import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

@Suite("AEDAT 2.0 DVS128 writer")
struct AEDAT2WriterTests {
    @Test("round-trips exactly under each convention", arguments: DVS128Convention.allCases)
    func roundTrip(convention: DVS128Convention) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.aedat").path
        let events = syntheticEvents(count: 5003, sensor: .dvs128, start: 12_345)
        try write(events, with: AEDAT2Writer(path: path, sensor: .dvs128, convention: convention))
        var options = ReadOptions()
        options.dvs128Convention = convention
        let reader = try #require(try EventFile.open(path: path, options: options) as? AEDAT2Reader)
        #expect(reader.format == .aedat2)
        #expect(reader.info["chip"] == "ch.unizh.ini.jaer.chip.retina.DVS128")
        #expect(try DecodedColumns(reading: reader).firstDifference(from: DecodedColumns(events)) == nil)
        #expect(reader.warnings.isEmpty)
    }

    @Test("the jAER header is what jAER writes: CRLF lines, version first, the DVS128 chip")
    func header() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.aedat").path
        try write([Event(t: 1, x: 0, y: 0, on: true)], with: EventFile.create(path: path, format: .aedat2, sensor: .dvs128))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: bytes.prefix(bytes.count - 8), as: UTF8.self)
        #expect(text.hasPrefix("#!AER-DAT2.0\r\n"))
        #expect(text.contains("# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n"))
        // jAER convention: x = 0 is raw x 127, ON is raw bit 0 clear.
        #expect(Array(bytes.suffix(8)) == [0, 0, 0, 0xFE, 0, 0, 0, 1])
    }

    @Test("refuses sensors larger than 128×128 and events outside it")
    func refusesLargeSensors() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.aedat").path
        #expect(throws: EventFormatError.self) { try AEDAT2Writer(path: path, sensor: .davis346) }
        let writer = try AEDAT2Writer(path: path, sensor: .dvs128)
        let error = #expect(throws: EventFormatError.self) {
            try writer.write(EventBuffer([Event(t: 1, x: 200, y: 0, on: true)]))
        }
        #expect(error?.kind == .outsideSensor)
    }
}
