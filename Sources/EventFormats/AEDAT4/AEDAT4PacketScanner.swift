/// The packets of an AEDAT 4 file in order (8-byte header: int32 stream id, int32 size): every header checked,
/// packets of other streams stepped over without decompressing them (counted), event packets handed out
/// decompressed, or in place in the input window when uncompressed.
///
/// Used by the reader on its own thread, or by `AEDAT4ReadAhead` on a thread of its own (then it is that thread's
/// alone until the read-ahead stops).
final class AEDAT4PacketScanner {
    /// One event packet's body: the size-prefixed `EVTS` FlatBuffer, valid until the next `next` call.
    struct Packet {
        /// Where the packet's 8-byte header starts in the file.
        var at: Int64
        var body: UnsafeRawPointer
        var count: Int
        /// Where the packet ends in the file.
        var end: Int64
    }

    /// Cap on a packet's size read from the file before allocating or reading it.
    static let maxPacketBytes = 1 << 28
    /// The input window: packets that fit are decoded in place, bigger ones are copied out first.
    static let window = 1 << 22
    /// Compressed packets go through a smaller window: each read(2) of it then stays in L2 until the decompressor
    /// reads it (measured with a 10,000-event LZ4 packet of 80 KB: 512 KiB decodes 6 % faster than 4 MiB). Plain
    /// packets are converted in place from the big one.
    static let compressedWindow = 1 << 19

    static func window(for compression: AEDAT4Compression) -> Int {
        compression == .none ? window : compressedWindow
    }

    let input: FileInput
    /// The input's window size: packets that fit are read in it, bigger ones are copied out.
    let windowSize: Int
    let compression: AEDAT4Compression
    let eventStream: Int32?
    /// Where packets end: the data table, or the end of the file.
    let packetsEnd: Int64
    let endName: String
    private let declared: Set<Int32>
    private let declaredList: String
    private let decompressor = FrameDecompressor()
    /// Packet bodies too big for the input window are copied here (one-thread mode).
    private lazy var large = PacketBuffer(capacity: 1 << 16)
    /// Packets of other streams stepped over, per stream id.
    private(set) var skippedPackets: [Int32: Int] = [:]
    /// Where the packet being read (or the last one read) starts: where damage begins when `next` throws.
    private(set) var current: Int64 = 0

    init(input: FileInput, window: Int, compression: AEDAT4Compression, streams: [AEDAT4Stream], eventStream: Int32?,
         packetsEnd: Int64, hasTable: Bool) {
        self.input = input
        windowSize = window
        self.compression = compression
        self.eventStream = eventStream
        self.packetsEnd = packetsEnd
        endName = hasTable ? "the data table" : "the end"
        declared = Set(streams.map(\.id))
        declaredList = streams.map { String($0.id) }.joined(separator: ", ")
    }

    var path: String { input.path }

    /// The next event packet, or nil after the last. With `out`, the body is decompressed or copied into it (the
    /// read-ahead's slots); without, it is decompressed into the scanner's own buffer or left in place. With
    /// `compressed`, a compressed body is copied into `out` as it is, for `decompress` to do later (on any thread).
    func next(into out: PacketBuffer? = nil, compressed: Bool = false) throws(EventFormatError) -> Packet? {
        while true {
            let at = input.offset
            current = at
            guard at < packetsEnd else { return nil }
            guard try input.need(8), at + 8 <= packetsEnd else {
                throw EventFormatError(.truncated, file: path, offset: at, expected: "an 8-byte packet header",
                                       found: "\(packetsEnd - at) bytes before \(endName)")
            }
            let streamId = Int32(littleEndian: input.bytes.loadUnaligned(as: Int32.self))
            let size = Int(Int32(littleEndian: input.bytes.loadUnaligned(fromByteOffset: 4, as: Int32.self)))
            guard declared.contains(streamId) else {
                throw EventFormatError(.badPacket, file: path, offset: at,
                                       expected: "a declared stream id (declared: \(declaredList))", found: "\(streamId)")
            }
            guard size >= 0, size <= Self.maxPacketBytes else {
                throw EventFormatError(.badPacket, file: path, offset: at + 4,
                                       expected: "a packet size of 0…\(Self.maxPacketBytes) bytes", found: "\(size)")
            }
            let end = at + 8 + Int64(size)
            guard end <= packetsEnd else {
                throw EventFormatError(.truncated, file: path, offset: at + 8, expected: "a \(size)-byte packet",
                                       found: "\(packetsEnd - at - 8) bytes before \(endName)")
            }
            guard streamId == eventStream else {
                skippedPackets[streamId, default: 0] += 1
                try input.seek(to: end)
                continue
            }
            if 8 + size <= windowSize, try input.need(8 + size) {
                let body = try bodyOut(input.bytes + 8, count: size, at: at, into: out, compressed: compressed)
                input.consume(8 + size)
                return Packet(at: at, body: body.pointer, count: body.count, end: end)
            }
            input.consume(8)
            let raw = compression == .none ? (out ?? large) : large
            try read(size, into: raw)
            let body = try bodyOut(UnsafeRawPointer(raw.bytes), count: size, at: at, into: out, compressed: compressed)
            return Packet(at: at, body: body.pointer, count: body.count, end: end)
        }
    }

    /// The packet's plain bytes: decompressed into `out` (or the decompressor's buffer), copied into `out`, or
    /// left where they are.
    private func bodyOut(_ src: UnsafeRawPointer, count: Int, at: Int64, into out: PacketBuffer?, compressed: Bool)
        throws(EventFormatError) -> (pointer: UnsafeRawPointer, count: Int)
    {
        if compression != .none && !(compressed && out != nil) {
            let n = try decompressor.decompress(src, count: count, lz4Frame: compression.isLZ4, into: out) {
                expected, found in
                EventFormatError(.badCompression, file: path, offset: at + 8, expected: expected, found: found)
            }
            return (UnsafeRawPointer((out ?? decompressor.buffer).bytes), n)
        }
        guard let out else { return (src, count) }
        if src != UnsafeRawPointer(out.bytes) {
            _ = out.grow(to: count, keeping: 0, limit: Self.maxPacketBytes)
            out.bytes.copyMemory(from: src, byteCount: count)
        }
        out.count = count
        return (UnsafeRawPointer(out.bytes), count)
    }

    /// Decompresses the body `next(into:compressed:)` left in `raw` (of the packet at `at`) into `out`, with a
    /// decompressor of the calling thread's own.
    static func decompress(_ raw: PacketBuffer, at: Int64, into out: PacketBuffer, compression: AEDAT4Compression,
                           path: String, using decompressor: FrameDecompressor) throws(EventFormatError) {
        _ = try decompressor.decompress(UnsafeRawPointer(raw.bytes), count: raw.count, lz4Frame: compression.isLZ4,
                                        into: out) { expected, found in
            EventFormatError(.badCompression, file: path, offset: at + 8, expected: expected, found: found)
        }
    }

    /// Reads `n` bytes at the cursor into `buffer` (a packet bigger than the input window).
    private func read(_ n: Int, into buffer: PacketBuffer) throws(EventFormatError) {
        _ = buffer.grow(to: n, keeping: 0, limit: Self.maxPacketBytes)
        var done = 0
        while done < n {
            if input.available == 0 {
                guard try input.refill() > 0 else {
                    throw EventFormatError(.truncated, file: path, offset: input.offset,
                                           expected: "\(n - done) more bytes of a packet", found: "end of file")
                }
            }
            let take = min(n - done, input.available)
            (buffer.bytes + done).copyMemory(from: input.bytes, byteCount: take)
            input.consume(take)
            done += take
        }
        buffer.count = n
    }
}
