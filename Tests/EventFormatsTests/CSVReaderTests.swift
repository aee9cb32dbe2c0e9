import DVSEvents
@testable import EventFormats
import Testing

/// The `t,x,y,p` text reader: optional header, column names, comments, line ends, and errors naming the line.
@Suite("CSV reader")
struct CSVReaderTests {
    func read(_ text: String, chunk: Int = 2) throws -> (EventBuffer, any EventFileReader) {
        let path = try Fixture.file("e.csv", Array(text.utf8))
        var options = ReadOptions()
        options.chunkSize = chunk
        options.sensor = SensorSize(width: 100, height: 100)
        let reader = try EventFile.open(path: path, options: options)
        return (try reader.readAll(), reader)
    }

    @Test("with or without a header, CRLF or LF, comments, blank lines, and a last line without a line end",
          arguments: ["t,x,y,p\n1,2,3,1\n4,5,6,0\n", "1,2,3,1\r\n4,5,6,0", "# made by hand\n\n1, 2, 3, 1\n\n4,5,6,-1\n",
                      "timestamp,x,y,polarity\r\n1,2,3,1\r\n4,5,6,0\r\n", "p,y,x,t,extra\n1,3,2,1,a\n0,6,5,4,b\n"])
    func layouts(_ text: String) throws {
        let (events, reader) = try read(text)
        #expect(events.events == [ev(1, 2, 3, 1), ev(4, 5, 6, 0)])
        #expect(reader.format == .csv)
    }

    @Test("malformed lines are errors naming the line and the byte offset",
          arguments: [("t,x,y,p\n1,2,3,1\n4,5,six,0\n", "column 3 of line 3", Int64(20)),
                      ("1,2,3\n", "4 comma-separated fields on line 1", 0),
                      ("1,2,3,1,5\n", "4 fields on line 1", 7),
                      ("1,2,3,2\n", "polarity", 0),
                      ("1.5,2,3,1\n", "column 1 of line 1", 0),
                      ("99999999999999999999,2,3,1\n", "column 1", 0)])
    func malformed(_ text: String, _ expected: String, _ offset: Int64) throws {
        let error = #expect(throws: EventFormatError.self) { try read(text) }
        #expect(error?.kind == .badRecord)
        #expect(error?.expected.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.offset == offset)
    }

    @Test("a header without the needed columns is refused")
    func badHeader() throws {
        let error = #expect(throws: EventFormatError.self) { try read("time,x,row,p\n1,2,3,1\n") }
        #expect(error?.kind == .badHeader)
    }

    @Test("events outside the sensor are skipped and counted; time going back is kept and counted")
    func outside() throws {
        let (events, reader) = try read("5,100,1,1\n6,1,-1,1\n4,1,1,0\n")
        #expect(events.events == [ev(4, 1, 1, 0)])
        #expect(reader.warnings.first { $0.message.contains("outside") }?.count == 2)
        let (_, r2) = try read("5,1,1,1\n4,1,1,0\n")
        #expect(r2.warnings.first { $0.message.contains("backwards") }?.offset == 8)
    }

    @Test("a line longer than 4 KiB is refused rather than buffered without bound")
    func longLine() throws {
        let error = #expect(throws: EventFormatError.self) { try read("1,2,3,1\n" + String(repeating: "7", count: 5000)) }
        #expect(error?.kind == .badRecord)
    }

    @Test("events before a malformed line are delivered; the error comes with the next read")
    func deliveredBeforeError() throws {
        let path = try Fixture.file("partial.csv", Array("1,2,3,1\n4,5,6,0\nbad\n7,8,9,1\n".utf8))
        let reader = try EventFile.open(path: path, format: .csv)
        let chunk = EventBuffer()
        #expect(try reader.read(into: chunk))
        #expect(chunk.events == [ev(1, 2, 3, 1), ev(4, 5, 6, 0)])
        let error = #expect(throws: EventFormatError.self) { try reader.read(into: chunk) }
        #expect(error?.offset == 16)
    }
}

/// Issue 20: CSV without a sensor or in another time unit (`--sensor`, `--time-unit`), and the sensor inferred.
@Suite("CSV reader: sensor and time unit")
struct CSVSensorTests {
    func open(_ text: String, name: String = "e.csv", sensor: SensorSize? = nil,
              unit: TimeUnit = .microseconds) throws -> any EventFileReader {
        let path = try Fixture.file(name, Array(text.utf8))
        var options = ReadOptions()
        options.sensor = sensor
        options.timeUnit = unit
        options.chunkSize = 2
        return try EventFile.open(path: path, options: options)
    }

    @Test("times in ns, ms and s (with decimals in ms and s) become µs",
          arguments: [(TimeUnit.nanoseconds, "1500,1,1,1\n2999,1,1,0\n", [Int64(1), 2]),
                      (.milliseconds, "2,1,1,1\n2.5,1,1,0\n", [2000, 2500]),
                      (.seconds, "t,x,y,p\n0.000001,1,1,1\n1.25,1,1,0\n", [1, 1_250_000]),
                      (.seconds, "3,1,1,1\n-1,1,1,0\n", [3_000_000, -1_000_000])])
    func units(unit: TimeUnit, text: String, times: [Int64]) throws {
        let reader = try open(text, sensor: SensorSize(width: 4, height: 4), unit: unit)
        #expect(try reader.readAll().events.map(\.t) == times)
        #expect(reader.info["time unit"] == unit.rawValue)
    }

    @Test("decimals are refused in µs and ns; a time beyond 64 bits of µs is an error naming its line",
          arguments: [(TimeUnit.microseconds, "1.5,1,1,1\n", "an integer in column 1 of line 1"),
                      (.nanoseconds, "7.0,1,1,1\n", "an integer in column 1 of line 1"),
                      (.seconds, "1,1,1,1\n99999999999999,1,1,1\n", "fits 64 bits of µs in column 1 of line 2"),
                      (.milliseconds, "1..5,1,1,1\n", "column 1 of line 1")])
    func badTimes(unit: TimeUnit, text: String, expected: String) throws {
        let error = #expect(throws: EventFormatError.self) { try open(text, sensor: .dvs128, unit: unit).readAll() }
        #expect(error?.expected.contains(expected) == true, "\(String(describing: error))")
    }

    @Test("--sensor is the sensor: events outside it are skipped, counted")
    func given() throws {
        let reader = try open("1,5,5,1\n2,20,1,0\n", sensor: SensorSize(width: 10, height: 10))
        #expect(reader.info.sensor == SensorSize(width: 10, height: 10))
        #expect(reader.info["sensor source"]?.contains("given") == true)
        #expect(try reader.readAll().count == 1)
        #expect(reader.warnings.first { $0.message.contains("outside") }?.count == 1)
    }

    @Test("without --sensor the sensor is inferred from every event of the file and rounded up to a known one",
          arguments: [("1,127,5,1\n2,3,127,0\n", SensorSize.dvs128, "DVS128"),
                      ("1,10,10,1\n2,200,170,0\n", .davis240, "DAVIS240"),
                      ("1,345,0,1\n", .davis346, "DAVIS346"),
                      ("1,0,400,1\n", .dvxplorer, "Gen3"),
                      ("1,1000,700,1\n", .gen4, "Gen4"),
                      ("1,1280,3,1\n9,2,2,0\n", SensorSize(width: 1281, height: 4), "1281×4")])
    func inferred(text: String, sensor: SensorSize, says: String) throws {
        // Many chunks before the widest event: the first pass sees the whole file, not a prefix.
        let padding = String(repeating: "0,0,0,1\n", count: 100)
        let reader = try open(padding + text)
        #expect(reader.info.sensor == sensor)
        let source = try #require(reader.info["sensor source"])
        #expect(source.hasPrefix("inferred") && source.contains(says), "\(source)")
        #expect(try reader.readAll().count == 100 + text.split(separator: "\n").count)
        #expect(reader.warnings.isEmpty)
    }

    @Test("a file without events keeps the 1280×720 fallback and says so")
    func empty() throws {
        let reader = try open("t,x,y,p\n")
        #expect(reader.info.sensor == .gen4)
        #expect(reader.info["sensor source"]?.contains("no events") == true)
    }

    @Test("plain text with commas sniffs as CSV whatever its name; binary noise does not")
    func sniffedByContent() throws {
        #expect(try open("1,2,3,1\n", name: "events").format == .csv)
        let path = try Fixture.file("noise", [0x01, 0x02, 0x2C, 0xFF])
        #expect(throws: EventFormatError.self) { try EventFile.open(path: path) }
    }
}
