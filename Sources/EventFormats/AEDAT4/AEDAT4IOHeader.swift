/// The IOHeader after the version line: a uint32 size then a FlatBuffer with identifier `IOHE`
/// (`table IOHeader { compression: int32 = NONE; dataTablePosition: int64 = -1; infoNode: string; }`).
struct AEDAT4IOHeader {
    static let versionLine = Array("#!AER-DAT4.0\r\n".utf8)
    /// Cap on the header size read from the file before allocating.
    static let maxSize = 1 << 24

    var compression: AEDAT4Compression
    var dataTablePosition: Int64
    var description: String

    enum Slot { static let compression = 0, dataTablePosition = 1, description = 2 }

    /// Reads the version line and the header; leaves `input` at the first packet.
    static func read(from input: FileInput) throws(EventFormatError) -> AEDAT4IOHeader {
        guard try input.need(versionLine.count + 4) else {
            throw EventFormatError(.truncated, file: input.path, offset: 0,
                                   expected: "the 14-byte version line and the IOHeader size",
                                   found: "\(input.available) bytes")
        }
        let line = Array(UnsafeRawBufferPointer(start: input.bytes, count: versionLine.count))
        guard line == versionLine else {
            throw EventFormatError(.badMagic, file: input.path, offset: 0, expected: "#!AER-DAT4.0\\r\\n",
                                   found: String(decoding: line.map { $0 >= 0x20 && $0 < 0x7F ? $0 : 0x2E }, as: UTF8.self))
        }
        let size = Int(UInt32(littleEndian: input.bytes.loadUnaligned(fromByteOffset: versionLine.count, as: UInt32.self)))
        guard size >= 8, size <= maxSize, Int64(size) <= input.size - 18 else {
            throw EventFormatError(.badHeader, file: input.path, offset: 14,
                                   expected: "an IOHeader size of 8…\(min(Int64(maxSize), max(8, input.size - 18))) bytes",
                                   found: "\(size)")
        }
        input.consume(versionLine.count + 4)
        let bytes = try input.readBytes(size, what: "the IOHeader")
        return try bytes.withFlatBuffer(file: input.path, fileOffset: 18, what: "the IOHeader") { fb throws(EventFormatError) in
            let root = try fb.root(sizePrefixed: false, identifier: "IOHE")
            let code = try root.int32(Slot.compression, default: 0)
            guard let compression = AEDAT4Compression(rawValue: code) else {
                throw EventFormatError(.badHeader, file: input.path, offset: 18,
                                       expected: "compression 0…4 (NONE, LZ4, LZ4_HIGH, ZSTD, ZSTD_HIGH)", found: "\(code)")
            }
            return AEDAT4IOHeader(compression: compression,
                                  dataTablePosition: try root.int64(Slot.dataTablePosition, default: -1),
                                  description: try root.string(Slot.description) ?? "")
        }
    }

    /// The version line, size and IOHeader bytes, and where in them the dataTablePosition int64 sits (for patching).
    func encoded() -> (bytes: [UInt8], dataTablePositionAt: Int) {
        var b = FlatBufferBuilder(identifier: "IOHE", sizePrefixed: false)
        let (_, fields) = b.table([.int32(compression.rawValue), .int64(dataTablePosition), .offset])
        b.patchOffset(at: fields[Slot.description]!, to: b.string(description))
        let body = b.finish()
        var out = AEDAT4IOHeader.versionLine
        withUnsafeBytes(of: UInt32(body.count).littleEndian) { out.append(contentsOf: $0) }
        let prefix = out.count
        out += body
        return (out, prefix + fields[Slot.dataTablePosition]!)
    }
}
