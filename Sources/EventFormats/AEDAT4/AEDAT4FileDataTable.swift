/// One entry of an AEDAT 4 FileDataTable: where a packet is and what times it covers.
public struct AEDAT4PacketIndex: Sendable, Equatable {
    /// Byte offset of the packet's body, just past its 8-byte packet header (docs/FORMATS.md §1.3).
    public var byteOffset: Int64
    public var streamId: Int32
    /// The packet body's size in bytes (compressed).
    public var size: Int32
    public var elements: Int64
    public var startT: Int64
    public var endT: Int64

    public init(byteOffset: Int64, streamId: Int32, size: Int32, elements: Int64, startT: Int64, endT: Int64) {
        (self.byteOffset, self.streamId, self.size) = (byteOffset, streamId, size)
        (self.elements, self.startT, self.endT) = (elements, startT, endT)
    }
}

/// The FileDataTable: a size-prefixed `FTAB` FlatBuffer `{Table: [FileDataDefinition]}` with
/// `FileDataDefinition {ByteOffset: int64; PacketInfo: struct {StreamID: int32; Size: int32}; NumElements: int64;
/// TimestampStart: int64; TimestampEnd: int64}`, compressed like the packets, at IOHeader.dataTablePosition.
enum AEDAT4FileDataTable {
    static func decode(_ fb: FlatBuffer) throws(EventFormatError) -> [AEDAT4PacketIndex] {
        let root = try fb.root(sizePrefixed: true, identifier: "FTAB")
        var out: [AEDAT4PacketIndex] = []
        for t in try root.tables(0) {
            var streamId: Int32 = 0, size: Int32 = 0
            if let at = try t.field(1) {
                streamId = try fb.i32(at)
                size = try fb.i32(at + 4)
            }
            out.append(AEDAT4PacketIndex(byteOffset: try t.int64(0, default: 0), streamId: streamId, size: size,
                                         elements: try t.int64(2, default: 0), startT: try t.int64(3, default: 0),
                                         endT: try t.int64(4, default: 0)))
        }
        return out
    }

    static func encode(_ entries: [AEDAT4PacketIndex]) -> [UInt8] {
        var b = FlatBufferBuilder(identifier: "FTAB", sizePrefixed: true)
        let (_, rootFields) = b.table([.offset])
        let (vector, elements) = b.offsetVector(count: entries.count)
        b.patchOffset(at: rootFields[0]!, to: vector)
        for (e, slot) in zip(entries, elements) {
            var info = [UInt8]()
            withUnsafeBytes(of: e.streamId.littleEndian) { info.append(contentsOf: $0) }
            withUnsafeBytes(of: e.size.littleEndian) { info.append(contentsOf: $0) }
            let (table, _) = b.table([.int64(e.byteOffset), .structure(info, alignment: 4), .int64(e.elements),
                                      .int64(e.startT), .int64(e.endT)])
            b.patchOffset(at: slot, to: table)
        }
        return b.finish()
    }
}

/// The byte layout of an EventPacket, as dv-processing writes it: a size-prefixed `EVTS` FlatBuffer whose root table
/// has one field, a vector of 16-byte `Event {int64 t; int16 x; int16 y; bool on}` structs (3 padding bytes).
///
///     0 size prefix (total − 4) · 4 root uoffset = 16 · 8 "EVTS" · 12 padding · 14 vtable {6, 8, 4}
///     · 20 table {soffset 6, uoffset 4} · 28 element count · 32 events
enum EventPacketLayout {
    static let header = 32
    static let eventSize = 16

    /// Writes the 32 header bytes for `count` events at `to`.
    static func writeHeader(count: Int, to p: UnsafeMutableRawPointer) {
        let words: [UInt32] = [UInt32(header - 4 + count * eventSize), 16, 0x5354_5645 /* "EVTS" */, 0]
        for (i, w) in words.enumerated() { p.storeBytes(of: w.littleEndian, toByteOffset: 4 * i, as: UInt32.self) }
        let vtable: [UInt16] = [6, 8, 4]
        for (i, h) in vtable.enumerated() { p.storeBytes(of: h.littleEndian, toByteOffset: 14 + 2 * i, as: UInt16.self) }
        p.storeBytes(of: Int32(6).littleEndian, toByteOffset: 20, as: Int32.self)
        p.storeBytes(of: UInt32(4).littleEndian, toByteOffset: 24, as: UInt32.self)
        p.storeBytes(of: UInt32(count).littleEndian, toByteOffset: 28, as: UInt32.self)
    }
}
