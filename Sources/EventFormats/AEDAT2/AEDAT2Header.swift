/// The text header of an AEDAT 1.0/2.0 (jAER) file: `#` lines, CRLF or LF, up to the first byte that is not `#`
/// (docs/FORMATS.md §1.1). Version 2.0 files start with `#!AER-DAT2.0`; without a version line the file is 1.0.
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

    /// Reads the header at the start of `input`, leaving the cursor on the first record.
    static func read(from input: FileInput) throws(EventFormatError) -> AEDAT2Header {
        let text = try HashHeader.read(from: input)
        var major = 1
        if let first = text.lines.first, first.hasPrefix("#!AER-DAT") {
            let version = first.dropFirst("#!AER-DAT".count)
            guard version.hasPrefix("2.") || version.hasPrefix("1.") else {
                throw EventFormatError(.badHeader, file: input.path, offset: 0,
                                       expected: "#!AER-DAT1.x or #!AER-DAT2.x", found: first)
            }
            major = version.hasPrefix("2.") ? 2 : 1
        }
        return AEDAT2Header(majorVersion: major, chip: text.value(after: "AEChip:"), dataStart: text.end,
                            lineCount: text.lineCount, crlf: text.crlf)
    }
}
