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
