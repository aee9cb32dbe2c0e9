/// The `#` text lines that open jAER and cAER files (AEDAT 1.0–3.1): read line by line through the input's window,
/// CRLF or LF, up to the first byte that does not start a text line or just past an end line (`#!END-HEADER`).
struct HashHeader {
    /// The lines without their line ending, in order (at most `maxKeptLines` of them are kept).
    var lines: [String] = []
    var lineCount = 0
    var crlf = false
    /// Byte offset just past the header.
    var end: Int64 = 0
    /// Whether the end line was seen.
    var sawEndLine = false

    static let maxLineLength = 1 << 16
    static let maxKeptLines = 4096

    /// A line counts as header only if it starts with `#` and is text up to its newline: binary records can start
    /// with the byte 0x23 (`#`), but then control bytes follow before any newline.
    static func read(from input: FileInput, endLine: String? = nil) throws(EventFormatError) -> HashHeader {
        var header = HashHeader()
        while try input.need(1), input.bytes.load(as: UInt8.self) == UInt8(ascii: "#") {
            guard let length = try textLineLength(in: input) else { break }
            let raw = UnsafeRawBufferPointer(start: input.bytes, count: length)
            let crlf = length >= 2 && raw[length - 2] == UInt8(ascii: "\r")
            if crlf { header.crlf = true }
            let line = String(decoding: raw.prefix(length - (crlf ? 2 : 1)), as: UTF8.self)
            if header.lines.count < maxKeptLines { header.lines.append(line) }
            header.lineCount += 1
            input.consume(length)
            if let endLine, line == endLine {
                header.sawEndLine = true
                break
            }
        }
        header.end = input.offset
        return header
    }

    /// The length of the `#` line at the cursor including its newline, or nil when what follows is not a text line.
    private static func textLineLength(in input: FileInput) throws(EventFormatError) -> Int? {
        var scanned = 0
        while true {
            let p = input.bytes.assumingMemoryBound(to: UInt8.self)
            while scanned < input.available {
                let b = p[scanned]
                scanned += 1
                if b == UInt8(ascii: "\n") { return scanned }
                if b < 0x20 && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\r") { return nil }
            }
            guard scanned < maxLineLength, try input.need(scanned + 1) else { return nil }
        }
    }

    /// The text after `key` on the first line containing it, trimmed (`AEChip:` → the chip class).
    func value(after key: String) -> String? {
        for line in lines {
            if let r = line.firstRange(of: key) { return line[r.upperBound...].trimmingSpaces() }
        }
        return nil
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
