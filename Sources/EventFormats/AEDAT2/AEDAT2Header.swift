/// The text header of an AEDAT 1.0/2.0 (jAER) file: `#` lines, CRLF or LF, up to the first byte that is not `#`
/// (FORMATS.md §1.1). Version 2.0 files start with `#!AER-DAT2.0`; without a version line the file is 1.0.
struct AEDAT2Header {
    /// 1 or 2 (the record is 6 or 8 bytes).
    var majorVersion: Int
    /// The `# AEChip:` class name, when present (`ch.unizh.ini.jaer.chip.retina.DVS128`).
    var chip: String?
    /// Byte offset of the first record.
    var dataStart: Int64
    /// Header lines seen (for `ottt info`).
    var lineCount: Int
    /// Whether lines end in CRLF (jAER) rather than LF.
    var crlf: Bool

    /// The size of one record: a big-endian address (int16 in 1.0, int32 in 2.0) and a big-endian int32 timestamp.
    var recordSize: Int { majorVersion == 1 ? 6 : 8 }

    /// The longest header line accepted; jAER's preference XML lines are far shorter.
    static let maxLineLength = 1 << 16

    /// Reads the header at the start of `input`, leaving the cursor on the first record.
    ///
    /// A line counts as header only if it starts with `#` and is text up to its newline: DAVIS records can start
    /// with the byte 0x23 (`#`), but then binary bytes follow before any newline.
    static func read(from input: FileInput) throws(EventFormatError) -> AEDAT2Header {
        var header = AEDAT2Header(majorVersion: 1, chip: nil, dataStart: 0, lineCount: 0, crlf: false)
        while try input.need(1), input.bytes.load(as: UInt8.self) == UInt8(ascii: "#") {
            guard let length = try textLineLength(in: input) else { break }
            let raw = UnsafeRawBufferPointer(start: input.bytes, count: length)
            let crlf = length >= 2 && raw[length - 2] == UInt8(ascii: "\r")
            if crlf { header.crlf = true }
            let body = String(decoding: raw.prefix(length - (crlf ? 2 : 1)), as: UTF8.self)[...]
            if header.lineCount == 0 && body.hasPrefix("#!AER-DAT") {
                let version = body.dropFirst("#!AER-DAT".count)
                guard version.hasPrefix("2.") || version.hasPrefix("1.") else {
                    throw EventFormatError(.badHeader, file: input.path, offset: 0,
                                           expected: "#!AER-DAT1.x or #!AER-DAT2.x", found: String(body))
                }
                header.majorVersion = version.hasPrefix("2.") ? 2 : 1
            } else if let range = body.firstRange(of: "AEChip:") {
                header.chip = body[range.upperBound...].trimmingSpaces()
            }
            header.lineCount += 1
            input.consume(length)
        }
        header.dataStart = input.offset
        return header
    }

    /// The length of the `#` line at the cursor including its newline, or nil when what follows is not a text line
    /// (binary data that happens to start with `#`, or a line without newline before the end of the file).
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
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
