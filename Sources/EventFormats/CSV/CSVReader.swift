import DVSEvents
import Glibc

/// Reads text files of events, one per line: `t,x,y,p` (t in µs unless `ReadOptions.timeUnit` says otherwise;
/// p 1 = ON; 0 or -1 = OFF).
///
/// The header line is optional: without one the columns are t, x, y, p; with one (`t,x,y,p`, `timestamp,x,y,
/// polarity`, any order, extra columns ignored) the names choose the columns. Lines starting with `#` and empty
/// lines are skipped; `\r\n` line ends are accepted. A malformed line is an error naming its line and byte offset.
/// In ms or s, times may have decimals (`0.25`); in µs and ns they are whole numbers.
///
/// CSV states no sensor: it is `ReadOptions.sensor` when given, else inferred from the events (max x + 1, max
/// y + 1, rounded up to the smallest known sensor that holds them, `SensorSize.inferred`): from a first pass over
/// a file, or on stdin from the first `inferencePrefix` events, held back meanwhile (memory stays bounded). Only
/// later events of stdin can fall outside an inferred sensor: they are skipped and counted, as events outside a
/// given sensor are. `StreamInfo`'s `sensor source` says which.
final class CSVReader: EventFileReader, ReadProgress {
    /// The sensor of a file without events.
    static let defaultSensor = SensorSize.gen4
    static let maxLineBytes = 4096
    /// Events read ahead on stdin to infer the sensor from.
    static let inferencePrefix = 1 << 16
    /// Every coordinate an event can have: the sensor the first pass reads with.
    static let addressSpace = SensorSize(width: Int(UInt16.max) + 1, height: Int(UInt16.max) + 1)
    let format = EventFileFormat.csv
    private(set) var info: StreamInfo
    var path: String { input.path }
    private let input: FileInput
    private let chunkSize: Int
    private var parser: CSVLineParser
    /// An error found after some events of a chunk: thrown by the next `read`, once those are delivered.
    private var pendingFailure: EventFormatError?
    /// The events read ahead on stdin to infer the sensor, delivered first.
    private var held: EventBuffer?

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
        var line = 0
        var properties: [(key: String, value: String)] = []
        if options.timeUnit != .microseconds { properties.append((key: "time unit", value: options.timeUnit.rawValue)) }
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
        var columns = (t: 0, x: 1, y: 2, p: 3), columnCount = 4
        if let names {
            let file = input.path
            func index(_ accepted: [String], _ what: String) throws(EventFormatError) -> Int {
                guard let i = names.firstIndex(where: { accepted.contains($0) }) else {
                    throw EventFormatError(.badHeader, file: file, offset: 0,
                                           expected: "a column named \(accepted.joined(separator: " or ")) (\(what))",
                                           found: "columns \(names.joined(separator: ","))")
                }
                return i
            }
            columns = (try index(["t", "ts", "timestamp", "time", "t_us"], "time"),
                       try index(["x"], "column"), try index(["y"], "row"),
                       try index(["p", "pol", "polarity", "on"], "polarity"))
            columnCount = names.count
        }
        let given = options.sensor
        parser = CSVLineParser(path: input.path, sensor: given ?? Self.addressSpace, unit: options.timeUnit,
                               columns: columns, columnCount: columnCount, line: line)
        info = StreamInfo(format: EventFileFormat.csv.displayName, sensor: given ?? Self.addressSpace)
        var source = "given (--sensor)"
        if given == nil {
            let extent: (width: Int, height: Int)
            if input.isStandardInput {
                // Read ahead a bounded prefix, with every coordinate accepted, and hold it for the first read.
                let prefix = EventBuffer(capacity: Self.inferencePrefix)
                _ = try fill(prefix, upTo: Self.inferencePrefix, waiting: true)
                held = prefix
                extent = Self.extent(of: prefix)
            } else {
                // A first pass over the file, with every coordinate accepted.
                var wide = options
                wide.sensor = Self.addressSpace
                extent = EventExtent.scan(try CSVReader(path: path, options: wide))
            }
            let sensor = SensorSize.inferred(width: extent.width, height: extent.height)
            source = Self.describe(sensor, extent: extent, prefix: input.isStandardInput ? held?.count : nil)
            parser.resize(to: sensor?.size ?? Self.defaultSensor)
        }
        properties.insert((key: "sensor source", value: source), at: 0)
        info = StreamInfo(format: EventFileFormat.csv.displayName, sensor: parser.sensor, properties: properties)
    }

    private static func extent(of buffer: EventBuffer) -> (width: Int, height: Int) {
        var extent = (width: 0, height: 0)
        EventExtent.widen(&extent, by: buffer)
        return extent
    }

    /// What `info` shows of an inferred sensor: from what, and what it was rounded up to.
    private static func describe(_ sensor: (size: SensorSize, name: String?)?, extent: (width: Int, height: Int),
                                 prefix: Int?) -> String {
        guard let sensor else { return "no events to infer it from: \(defaultSensor) (give --sensor)" }
        let from = prefix.map { "the first \($0) events of stdin" } ?? "the events"
        let rounded = sensor.name.map { ", rounded up to \($0)" } ?? ""
        let later = prefix == nil ? "" : "; later events outside it are skipped, counted"
        return "inferred from \(from) (max x + 1, max y + 1 = \(extent.width)×\(extent.height))\(rounded)\(later)"
            + " (give --sensor WxH to set it)"
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

    /// Whether the input's window holds a whole line still to parse. Reading a file, the window is refilled
    /// whenever it runs low; on stdin, not while a line is there, since a pipe's read waits for its next bytes.
    private var holdsLineEnd: Bool {
        input.isStandardInput && input.available > 0 && memchr(input.bytes, 0x0A, input.available) != nil
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        if let held {
            self.held = nil
            buffer.append(contentsOf: held)
            if !buffer.isEmpty { return true }
        }
        if let failure = pendingFailure {
            pendingFailure = nil
            throw failure
        }
        return try fill(buffer, upTo: chunkSize)
    }

    /// Parses lines into `buffer` (emptied first) until it holds `limit` events or the input ends — or, on a pipe
    /// that has nothing more yet, unless `waiting`, until it holds some; returns whether it holds any. A bad line
    /// after some events is kept in `pendingFailure` for the next call.
    private func fill(_ buffer: EventBuffer, upTo chunkSize: Int,
                      waiting: Bool = false) throws(EventFormatError) -> Bool {
        buffer.removeAll()
        // The parser's state lives in a local while parsing: no exclusivity checks on class properties per line.
        var parser = self.parser
        defer { self.parser = parser }
        var failure: EventFormatError?
        while buffer.count < chunkSize && failure == nil {
            if input.available < Self.maxLineBytes && !holdsLineEnd {
                if !waiting && input.deliversNow(holding: buffer.count) { break }
                try input.refill()
            }
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
                    failure = EventFormatError(.badRecord, file: input.path, offset: input.offset,
                                               expected: "a line shorter than \(Self.maxLineBytes) bytes",
                                               found: "a longer one (line \(parser.line + 1))")
                    break
                }
                if !waiting && input.deliversNow(holding: buffer.count) { break }   // a line still arriving
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
    private(set) var width: Int64
    private(set) var height: Int64
    /// The unit of the time column.
    let unit: TimeUnit
    /// Column index of t, x, y, p, and how many columns a line has.
    let columns: (t: Int, x: Int, y: Int, p: Int)
    let columnCount: Int
    /// Lines read so far (the number of the line being parsed, once counted).
    var line: Int
    var lastT: Microseconds = .min
    var outside = SkipCounter()
    var backwards = SkipCounter()

    init(path: String, sensor: SensorSize, unit: TimeUnit = .microseconds,
         columns: (t: Int, x: Int, y: Int, p: Int), columnCount: Int, line: Int) {
        self.path = path
        width = Int64(sensor.width)
        height = Int64(sensor.height)
        self.unit = unit
        self.columns = columns
        self.columnCount = columnCount
        self.line = line
    }

    /// The sensor events must lie on.
    var sensor: SensorSize { SensorSize(width: Int(width), height: Int(height)) }

    /// Events from now on must lie on `sensor` (once inferred from the first ones).
    mutating func resize(to sensor: SensorSize) {
        width = Int64(sensor.width)
        height = Int64(sensor.height)
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
                let isTime = column == columns.t
                let fraction = isTime && unit.allowsFraction
                guard let number = Self.number(fieldStart, cursor, fraction: fraction),
                      let value = isTime ? unit.microseconds(mantissa: number.mantissa, decimals: number.decimals)
                                         : number.mantissa else {
                    let text = String(decoding: UnsafeBufferPointer(start: fieldStart, count: cursor - fieldStart),
                                      as: UTF8.self)
                    let what = fraction ? "a number of \(unit.rawValue) that fits 64 bits of µs" : "an integer"
                    throw EventFormatError(.badRecord, file: path, offset: offset + Int64(fieldStart - from),
                                           expected: "\(what) in column \(column + 1) of line \(line)",
                                           found: "'\(text.prefix(40))'")
                }
                if isTime { t = value } else if column == columns.x { x = value }
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

    /// A decimal number with an optional sign (and, when `fraction`, decimals after a `.`), surrounded by optional
    /// spaces, as its digits and the count of them after the point (beyond 9 dropped); nil if malformed or too long.
    private static func number(_ from: UnsafePointer<UInt8>, _ to: UnsafePointer<UInt8>,
                               fraction: Bool) -> (mantissa: Int64, decimals: Int)? {
        var a = from, b = to
        while a < b && (a[0] == 0x20 || a[0] == 0x09) { a += 1 }
        while b > a && (b[-1] == 0x20 || b[-1] == 0x09) { b -= 1 }
        var negative = false
        if a < b && (a[0] == UInt8(ascii: "-") || a[0] == UInt8(ascii: "+")) {
            negative = a[0] == UInt8(ascii: "-")
            a += 1
        }
        guard a < b else { return nil }
        var value: Int64 = 0, digits = 0, decimals: Int? = nil
        while a < b {
            if fraction && decimals == nil && a[0] == UInt8(ascii: ".") {
                decimals = 0
                a += 1
                continue
            }
            let d = a[0] &- 0x30
            guard d < 10 else { return nil }
            a += 1
            if let n = decimals {
                guard n < 9 else { continue }    // below a nanosecond of a second: dropped
                decimals = n + 1
            }
            digits += 1
            guard digits <= 18 else { return nil }
            value = value * 10 + Int64(d)
        }
        guard digits > 0 else { return nil }
        return (negative ? -value : value, decimals ?? 0)
    }
}
