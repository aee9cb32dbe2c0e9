import DVSEvents

/// The `%` text header of Prophesee raw (EVT 2.0/3.0) and .dat files (docs/FORMATS.md §1.4).
///
/// Lines start with `%` and end with `\n` (a `\r` before it is dropped); an optional `% end` line closes the header,
/// otherwise it ends at the first byte that is not `%`. Keys are the first word of a line: `% evt 3.0`,
/// `% format EVT3;width=1280;height=720`, `% geometry 1280x720`, `% Width 304`.
struct PropheseeHeader {
    struct Line {
        /// Byte offset of the `%` that starts the line.
        var offset: Int64
        /// The text after `%` and one space, without the line end.
        var text: String
        var key: String { String(text.prefix { $0 != " " }) }
        var value: String {
            guard let space = text.firstIndex(of: " ") else { return "" }
            return String(text[text.index(after: space)...]).trimmingSpaces
        }
    }

    var lines: [Line] = []
    /// Offset of the first byte after the header.
    var end: Int64 = 0

    static let maxLineBytes = 1 << 16
    static let maxHeaderBytes = 1 << 20

    /// Reads the header at the cursor of `input` and leaves the cursor on the first data byte.
    static func read(_ input: FileInput) throws(EventFormatError) -> PropheseeHeader {
        var header = PropheseeHeader()
        let percent = UInt8(ascii: "%"), newline = UInt8(ascii: "\n")
        while try input.need(1), input.bytes.load(as: UInt8.self) == percent {
            let start = input.offset
            guard start < Int64(maxHeaderBytes) else {
                throw EventFormatError(.badHeader, file: input.path, offset: start,
                                       expected: "a `%` header shorter than \(maxHeaderBytes) bytes",
                                       found: "more header lines")
            }
            var length = 0
            var sawNewline = false
            while true {
                if length >= input.available {
                    guard try input.need(length + 1) else { break }
                }
                if input.bytes.load(fromByteOffset: length, as: UInt8.self) == newline {
                    sawNewline = true
                    break
                }
                length += 1
                guard length < maxLineBytes else {
                    throw EventFormatError(.badHeader, file: input.path, offset: start,
                                           expected: "a header line shorter than \(maxLineBytes) bytes",
                                           found: "a longer line (binary data after a `%`?)")
                }
            }
            var raw = Array(UnsafeRawBufferPointer(start: input.bytes, count: length).dropFirst())
            if raw.last == UInt8(ascii: "\r") { raw.removeLast() }
            if raw.first == UInt8(ascii: " ") { raw.removeFirst() }
            input.consume(sawNewline ? length + 1 : length)
            let text = String(decoding: raw, as: UTF8.self)
            header.lines.append(Line(offset: start, text: text))
            if text.trimmingSpaces.lowercased() == "end" { break }
        }
        header.end = input.offset
        return header
    }

    /// The value of the first line whose key is `key` (case-insensitive).
    func value(_ key: String) -> String? {
        lines.first { $0.key.lowercased() == key.lowercased() }?.value
    }

    /// Header lines as `StreamInfo` properties, in file order.
    var properties: [(key: String, value: String)] {
        lines.filter { !$0.key.isEmpty && $0.key.lowercased() != "end" }.map { (key: $0.key, value: $0.value) }
    }

    /// The geometry the header declares, from `% geometry WxH`, `% format …;width=W;height=H` or
    /// `% Width W` + `% Height H`, with the name of the line it came from; nil when it declares none.
    func declaredSensor(maxSide: Int, path: String) throws(EventFormatError) -> (SensorSize, String)? {
        func side(_ s: Substring?, _ line: Line) throws(EventFormatError) -> Int? {
            guard let s else { return nil }
            guard let v = Int(s.trimmingSpaces), v >= 1, v <= maxSide else {
                throw EventFormatError(.badHeader, file: path, offset: line.offset,
                                       expected: "a sensor side between 1 and \(maxSide)", found: "'\(line.text)'")
            }
            return v
        }
        for line in lines where line.key.lowercased() == "geometry" {
            let parts = line.value.split(separator: "x")
            guard parts.count == 2, let w = try side(parts[0], line), let h = try side(parts[1], line) else {
                throw EventFormatError(.badHeader, file: path, offset: line.offset,
                                       expected: "`% geometry WIDTHxHEIGHT`", found: "'\(line.text)'")
            }
            return (SensorSize(width: w, height: h), "header geometry")
        }
        for line in lines where line.key.lowercased() == "format" {
            var w: Int?, h: Int?
            for field in line.value.split(separator: ";") {
                let kv = field.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                switch kv[0].trimmingSpaces.lowercased() {
                case "width": w = try side(kv[1], line)
                case "height": h = try side(kv[1], line)
                default: break
                }
            }
            if let w, let h { return (SensorSize(width: w, height: h), "header format") }
        }
        let widthLine = lines.first { $0.key.lowercased() == "width" }
        let heightLine = lines.first { $0.key.lowercased() == "height" }
        if let widthLine, let heightLine,
           let w = try side(Substring(widthLine.value), widthLine),
           let h = try side(Substring(heightLine.value), heightLine) {
            return (SensorSize(width: w, height: h), "header width/height")
        }
        return nil
    }

    /// The sensor size for a file: the header's geometry, else `options.sensor`, else the size of the sensor
    /// named by `% plugin_name` (gen3 → 640×480, gen4/imx636 → 1280×720), else `fallback`. Returns the size and
    /// where it came from (shown as the `sensor source` property).
    func sensor(options: ReadOptions, fallback: SensorSize, maxSide: Int,
                path: String) throws(EventFormatError) -> (SensorSize, String) {
        if let declared = try declaredSensor(maxSide: maxSide, path: path) { return declared }
        if let given = options.sensor { return (given, "read options") }
        if let plugin = value("plugin_name")?.lowercased() {
            if plugin.contains("gen3") { return (SensorSize(width: 640, height: 480), "plugin_name \(plugin)") }
            if plugin.contains("gen4") || plugin.contains("imx636") {
                return (SensorSize(width: 1280, height: 720), "plugin_name \(plugin)")
            }
        }
        return (fallback, "default for headers without geometry")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
