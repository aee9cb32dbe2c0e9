import DVSEvents
import Glibc

/// Reads text files of events, one per line: `t,x,y,p` (t in µs, p 1 = ON; 0 or -1 = OFF).
///
/// The header line is optional: without one the columns are t, x, y, p; with one (`t,x,y,p`, `timestamp,x,y,
/// polarity`, any order, extra columns ignored) the names choose the columns. Lines starting with `#` and empty
/// lines are skipped; `\r\n` line ends are accepted. A malformed line is an error naming its line and byte offset.
/// Events outside the sensor are skipped and counted. The sensor is `ReadOptions.sensor`, else 1280×720 (the
/// largest common sensor, so that files from DVS128, DAVIS346, DVXplorer and Prophesee Gen3/Gen4 all fit).
final class CSVReader: EventFileReader, ReadProgress {
    static let defaultSensor = SensorSize(width: 1280, height: 720)
    static let maxLineBytes = 4096
    let format = EventFileFormat.csv
    let info: StreamInfo
    var path: String { input.path }
    private let input: FileInput
    private let chunkSize: Int
    private var parser: CSVLineParser
    /// An error found after some events of a chunk: thrown by the next `read`, once those are delivered.
    private var pendingFailure: EventFormatError?

    var bytesRead: Int64 { input.offset }
    var fileSize: Int64 { input.size }

    var warnings: [EventFormatWarning] {
        var all = WarningTally()
        var o = parser.outside, b = parser.backwards
        o.flush(into: &all, "events outside the \(info.sensor) sensor skipped")
        b.flush(into: &all, "time went backwards (events kept as read)")
        return all.warnings
    }

    init(path: String, options: ReadOptions) throws(EventFormatError) {
        input = try FileInput(path: path)
        chunkSize = options.chunkSize
        let sensor = options.sensor ?? Self.defaultSensor
        var line = 0
        var properties: [(key: String, value: String)] = [
            (key: "sensor source", value: options.sensor == nil ? "default for CSV (1280×720)" : "read options"),
        ]
        // The header, if the first line that is not a comment has letters in it.
        var names: [String]? = nil
        while let text = try Self.peekLine(input) {
            if text.hasPrefix("#") || text.trimmingSpaces.isEmpty {
                try Self.skipLine(input)
                line += 1
                continue
            }
            if text.contains(where: { $0.isLetter }) {
                names = text.split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingSpaces.lowercased()
                }
                try Self.skipLine(input)
                line += 1
                properties.append((key: "header", value: text))
            }
            break
        }
        if let names {
            func index(_ accepted: [String], _ what: String) throws(EventFormatError) -> Int {
                guard let i = names.firstIndex(where: { accepted.contains($0) }) else {
                    throw EventFormatError(.badHeader, file: path, offset: 0,
                                           expected: "a column named \(accepted.joined(separator: " or ")) (\(what))",
                                           found: "columns \(names.joined(separator: ","))")
                }
                return i
            }
            let columns = (try index(["t", "ts", "timestamp", "time", "t_us"], "time in µs"),
                           try index(["x"], "column"), try index(["y"], "row"),
                           try index(["p", "pol", "polarity", "on"], "polarity"))
            parser = CSVLineParser(path: path, sensor: sensor, columns: columns, columnCount: names.count, line: line)
        } else {
            parser = CSVLineParser(path: path, sensor: sensor, columns: (0, 1, 2, 3), columnCount: 4, line: line)
        }
        info = StreamInfo(format: EventFileFormat.csv.displayName, sensor: sensor, properties: properties)
    }

    /// The line at the cursor (without its end), or nil at end of file.
    private static func peekLine(_ input: FileInput) throws(EventFormatError) -> String? {
        guard try input.need(1) else { return nil }
        let length = try lineLength(input)
        var raw = Array(UnsafeRawBufferPointer(start: input.bytes, count: length))
        if raw.last == UInt8(ascii: "\r") { raw.removeLast() }
        return String(decoding: raw, as: UTF8.self)
    }

    private static func skipLine(_ input: FileInput) throws(EventFormatError) {
        let length = try lineLength(input)
        input.consume(min(length + 1, input.available))
    }

    /// Bytes before the next `\n` at the cursor (the rest of the file when there is none), reading more as needed.
    private static func lineLength(_ input: FileInput) throws(EventFormatError) -> Int {
        while true {
            let available = input.available
            if let nl = memchr(input.bytes, 0x0A, available) {
                return UnsafeRawPointer(nl) - input.bytes
            }
            guard available < maxLineBytes else {
                throw EventFormatError(.badRecord, file: input.path, offset: input.offset,
                                       expected: "a line shorter than \(maxLineBytes) bytes", found: "a longer one")
            }
            guard try input.need(available + 1) else { return input.available }
        }
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        if let failure = pendingFailure {
            pendingFailure = nil
            throw failure
        }
        // The parser's state lives in a local while parsing: no exclusivity checks on class properties per line.
        var parser = self.parser
        defer { self.parser = parser }
        var failure: EventFormatError?
        while buffer.count < chunkSize && failure == nil {
            if input.available < Self.maxLineBytes { try input.refill() }
            let available = input.available
            if available == 0 { break }
            let base = input.bytes.assumingMemoryBound(to: UInt8.self)
            let offset = input.offset
            var start = 0
            let room = chunkSize - buffer.count
            // Whole lines in the window, straight into the buffer's columns.
            buffer.appendUnsafe(maxCount: room) { t, x, y, p in
                let out = EventColumns(t: t, x: x, y: y, p: p)
                var n = 0
                while n < room {
                    guard let nl = memchr(base + start, 0x0A, available - start) else { break }
                    let end = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base
                    do throws(EventFormatError) {
                        if try parser.parse(base + start, base + end, offset: offset + Int64(start), into: out, at: n) {
                            n += 1
                        }
                    } catch {
                        failure = error
                        break
                    }
                    start = end + 1
                }
                return n
            }
            if failure == nil && start == 0 && buffer.count < chunkSize {
                // No line end in the window: a last line without one, or a line that is too long.
                guard available < Self.maxLineBytes else {
                    failure = EventFormatError(.badRecord, file: path, offset: input.offset,
                                               expected: "a line shorter than \(Self.maxLineBytes) bytes",
                                               found: "a longer one (line \(parser.line + 1))")
                    break
                }
                if try input.need(available + 1) { continue }
                let last = input.bytes.assumingMemoryBound(to: UInt8.self)
                let count = input.available
                buffer.appendUnsafe(maxCount: 1) { t, x, y, p in
                    do throws(EventFormatError) {
                        return try parser.parse(last, last + count, offset: input.offset,
                                                into: EventColumns(t: t, x: x, y: y, p: p), at: 0) ? 1 : 0
                    } catch {
                        failure = error
                        return 0
                    }
                }
                start = count
            }
            input.consume(start)
        }
        // Events parsed before a bad line are delivered first; the error comes with the next call.
        if let failure {
            if buffer.isEmpty { throw failure }
            pendingFailure = failure
        }
        return !buffer.isEmpty
    }
}

/// The per-line state of `CSVReader`: which columns hold t, x, y, p, the line number, and what was skipped.
struct CSVLineParser {
    let path: String
    let width: Int64
    let height: Int64
    /// Column index of t, x, y, p, and how many columns a line has.
    let columns: (t: Int, x: Int, y: Int, p: Int)
    let columnCount: Int
    /// Lines read so far (the number of the line being parsed, once counted).
    var line: Int
    var lastT: Microseconds = .min
    var outside = SkipCounter()
    var backwards = SkipCounter()

    init(path: String, sensor: SensorSize, columns: (t: Int, x: Int, y: Int, p: Int), columnCount: Int, line: Int) {
        self.path = path
        width = Int64(sensor.width)
        height = Int64(sensor.height)
        self.columns = columns
        self.columnCount = columnCount
        self.line = line
    }

    /// Parses one line [from, to) (without its `\n`) into slot `n` of `out`; returns whether it held an event.
    mutating func parse(_ from: UnsafePointer<UInt8>, _ to: UnsafePointer<UInt8>, offset: Int64,
                       into out: EventColumns, at n: Int) throws(EventFormatError) -> Bool {
        line += 1
        var end = to
        if end > from && end[-1] == UInt8(ascii: "\r") { end -= 1 }
        if end == from || from[0] == UInt8(ascii: "#") { return false }
        var t: Int64 = 0, x: Int64 = 0, y: Int64 = 0, p: Int64 = 0
        var cursor = from
        for column in 0..<columnCount {
            let fieldStart = cursor
            while cursor < end && cursor[0] != UInt8(ascii: ",") { cursor += 1 }
            if column == columns.t || column == columns.x || column == columns.y || column == columns.p {
                guard let value = Self.integer(fieldStart, cursor) else {
                    let text = String(decoding: UnsafeBufferPointer(start: fieldStart, count: cursor - fieldStart),
                                      as: UTF8.self)
                    throw EventFormatError(.badRecord, file: path, offset: offset + Int64(fieldStart - from),
                                           expected: "an integer in column \(column + 1) of line \(line)",
                                           found: "'\(text.prefix(40))'")
                }
                if column == columns.t { t = value } else if column == columns.x { x = value }
                else if column == columns.y { y = value } else { p = value }
            }
            if column < columnCount - 1 {
                guard cursor < end else {
                    throw EventFormatError(.badRecord, file: path, offset: offset,
                                           expected: "\(columnCount) comma-separated fields on line \(line)",
                                           found: "\(column + 1)")
                }
                cursor += 1
            }
        }
        guard cursor == end else {
            throw EventFormatError(.badRecord, file: path, offset: offset + Int64(cursor - from),
                                   expected: "\(columnCount) fields on line \(line)", found: "more")
        }
        guard p == 0 || p == 1 || p == -1 else {
            throw EventFormatError(.badRecord, file: path, offset: offset,
                                   expected: "a polarity of 1 (ON), 0 or -1 (OFF) on line \(line)", found: "\(p)")
        }
        guard x >= 0 && y >= 0 && x < width && y < height else {
            outside.hit(at: offset)
            return false
        }
        if t < lastT { backwards.hit(at: offset) }
        lastT = t
        out.t[n] = t
        out.x[n] = UInt16(x)
        out.y[n] = UInt16(y)
        out.p[n] = p == 1 ? 1 : 0
        return true
    }

    /// A decimal integer with an optional sign, surrounded by optional spaces; nil if malformed or out of range.
    private static func integer(_ from: UnsafePointer<UInt8>, _ to: UnsafePointer<UInt8>) -> Int64? {
        var a = from, b = to
        while a < b && (a[0] == 0x20 || a[0] == 0x09) { a += 1 }
        while b > a && (b[-1] == 0x20 || b[-1] == 0x09) { b -= 1 }
        var negative = false
        if a < b && (a[0] == UInt8(ascii: "-") || a[0] == UInt8(ascii: "+")) {
            negative = a[0] == UInt8(ascii: "-")
            a += 1
        }
        guard a < b, b - a <= 18 else { return nil }
        var value: Int64 = 0
        while a < b {
            let d = a[0] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int64(d)
            a += 1
        }
        return negative ? -value : value
    }
}
