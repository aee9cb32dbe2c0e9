import DVSEvents

/// Streaming reader of AEDAT 4.0 (DV) files: the IOHeader and its stream description, then packets of any stream
/// (8-byte header: int32 stream id, int32 size), uncompressed or one LZ4 / Zstandard frame each.
///
/// Events come from the first `EVTS` stream; packets of other streams (frames, IMU, triggers, more event streams)
/// are stepped over without decompressing them and counted per stream in `warnings`. Events whose time goes
/// backwards or that lie outside the sensor are skipped and counted. With a FileDataTable, `seek(to:)` jumps to a
/// time. Chunks hold whole packets: a chunk reaches `ReadOptions.chunkSize` events or more by at most one packet.
public final class AEDAT4Reader: EventFileReader, ReadProgress {
    public var format: EventFileFormat { .aedat4 }
    public var path: String { input.path }
    public let info: StreamInfo
    public var warnings: [EventFormatWarning] {
        var t = tally
        for s in streams where s.id != eventStream?.id {
            let n = skippedPackets[s.id, default: 0]
            t.add("stream \(s.id) (\(s.typeIdentifier) \(s.outputName)): packets skipped", at: nil, count: n)
        }
        return t.warnings
    }
    public var bytesRead: Int64 { input.offset }
    public var fileSize: Int64 { input.size }

    public let compression: AEDAT4Compression
    public let streams: [AEDAT4Stream]
    /// The stream whose events are delivered.
    public let eventStream: AEDAT4Stream?
    /// Where the FileDataTable starts, or nil when the file has none.
    public let dataTablePosition: Int64?

    /// Cap on a packet's size read from the file before allocating or reading it.
    static let maxPacketBytes = 1 << 28
    /// The input window: packets that fit are decoded in place, bigger ones are copied out first.
    static let window = 1 << 22

    private let input: FileInput
    private let dataStart: Int64
    /// Where packets end: the data table, or the end of the file.
    private let packetsEnd: Int64
    private let chunkSize: Int
    private let width: UInt16, height: UInt16
    private let declared: Set<Int32>
    private let decompressor = FrameDecompressor()
    /// Packet bodies too big for the input window are copied here.
    private var large: [UInt8] = []
    private var tally = WarningTally()
    private var skippedPackets: [Int32: Int] = [:]
    private var lastT = Int64.min
    private var finished = false
    private var dropBefore: Int64?

    public init(path: String, options: ReadOptions = ReadOptions()) throws(EventFormatError) {
        input = try FileInput(path: path, windowSize: Self.window)
        let header = try AEDAT4IOHeader.read(from: input)
        compression = header.compression
        streams = AEDAT4Description.parse(header.description)
        declared = Set(streams.map(\.id))
        eventStream = streams.first { $0.typeIdentifier == "EVTS" }
        dataStart = input.offset
        let table = header.dataTablePosition
        if table >= dataStart && table <= input.size {
            dataTablePosition = table
            packetsEnd = table
        } else {
            if table >= 0 {
                tally.add("data table position \(table) lies outside the packets (\(dataStart)…\(input.size)): ignored",
                          at: 18)
            }
            dataTablePosition = nil
            packetsEnd = input.size
        }
        chunkSize = max(1, options.chunkSize)
        var sensor = options.sensor ?? .davis346
        if let s = eventStream, let w = s.sizeX, let h = s.sizeY, w > 0, h > 0, w <= 65_535, h <= 65_535 {
            sensor = SensorSize(width: w, height: h)
        }
        width = UInt16(sensor.width)
        height = UInt16(sensor.height)
        var properties: [(key: String, value: String)] = [
            ("compression", compression.name),
            ("data table", dataTablePosition.map { "at byte \($0)" } ?? "none"),
        ]
        for s in streams {
            var d = "\(s.typeIdentifier) \(s.outputName)"
            if let x = s.sizeX, let y = s.sizeY { d += " \(x)×\(y)" }
            if let source = s.source { d += " from \(source)" }
            if s.id == eventStream?.id { d += " (events read)" }
            properties.append(("stream \(s.id)", d))
        }
        info = StreamInfo(format: EventFileFormat.aedat4.displayName, sensor: sensor, properties: properties)
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        while buffer.count < chunkSize && !finished {
            try readPacket(into: buffer)
        }
        return !(finished && buffer.isEmpty)
    }

    private func readPacket(into buffer: EventBuffer) throws(EventFormatError) {
        let at = input.offset
        guard at < packetsEnd else {
            finished = true
            return
        }
        guard try input.need(8), at + 8 <= packetsEnd else {
            throw EventFormatError(.truncated, file: path, offset: at, expected: "an 8-byte packet header",
                                   found: "\(packetsEnd - at) bytes before \(dataTablePosition == nil ? "the end" : "the data table")")
        }
        let streamId = Int32(littleEndian: input.bytes.loadUnaligned(as: Int32.self))
        let size = Int(Int32(littleEndian: input.bytes.loadUnaligned(fromByteOffset: 4, as: Int32.self)))
        guard declared.contains(streamId) else {
            throw EventFormatError(.badPacket, file: path, offset: at,
                                   expected: "a declared stream id (declared: \(streams.map { String($0.id) }.joined(separator: ", ")))",
                                   found: "\(streamId)")
        }
        guard size >= 0, size <= Self.maxPacketBytes else {
            throw EventFormatError(.badPacket, file: path, offset: at + 4,
                                   expected: "a packet size of 0…\(Self.maxPacketBytes) bytes", found: "\(size)")
        }
        guard at + 8 + Int64(size) <= packetsEnd else {
            throw EventFormatError(.truncated, file: path, offset: at + 8, expected: "a \(size)-byte packet",
                                   found: "\(packetsEnd - at - 8) bytes left")
        }
        guard streamId == eventStream?.id else {
            skippedPackets[streamId, default: 0] += 1
            try input.seek(to: at + 8 + Int64(size))
            return
        }
        if 8 + size <= Self.window, try input.need(8 + size) {
            try decodePacket(input.bytes + 8, count: size, at: at, into: buffer)
            input.consume(8 + size)
        } else {
            input.consume(8)
            large = try input.readBytes(size, what: "a packet")
            let result: Result<Void, EventFormatError> = large.withUnsafeBytes { raw in
                do throws(EventFormatError) {
                    return .success(try decodePacket(raw.baseAddress!, count: size, at: at, into: buffer))
                } catch { return .failure(error) }
            }
            try result.get()
        }
    }

    /// Decompresses (if needed) one event packet and appends its events.
    private func decodePacket(_ body: UnsafeRawPointer, count: Int, at: Int64, into buffer: EventBuffer)
        throws(EventFormatError)
    {
        var bytes = body
        var n = count
        if compression != .none {
            n = try decompressor.decompress(body, count: count, lz4Frame: compression.isLZ4) { expected, found in
                EventFormatError(.badCompression, file: path, offset: at + 8, expected: expected, found: found)
            }
            bytes = UnsafeRawPointer(decompressor.output)
        }
        let fb = FlatBuffer(base: bytes, count: n, file: path, fileOffset: at, what: "an event packet")
        let root = try fb.root(sizePrefixed: true, identifier: "EVTS")
        guard let (start, events) = try root.vector(0, elementSize: EventPacketLayout.eventSize) else { return }
        decodeEvents(bytes + start, count: events, at: at, into: buffer)
    }

    /// Appends the events of one packet's vector of 16-byte `Event {int64 t; int16 x; int16 y; bool on}` structs.
    private func decodeEvents(_ src: UnsafeRawPointer, count n: Int, at: Int64, into buffer: EventBuffer) {
        if let floor = dropBefore {
            lastT = max(lastT, floor)
        }
        var state = EventLoopState(last: lastT, width: width, height: height)
        buffer.appendUnsafe(maxCount: n) { tp, xp, yp, pp in
            Self.eventKernel(src, n, tp, xp, yp, pp, &state)
        }
        lastT = state.last
        if dropBefore != nil {
            dropBefore = nil
        } else {
            tally.add("events with time going backwards skipped", at: at, count: state.backwards)
        }
        tally.add("events outside the \(width)×\(height) sensor skipped", at: at, count: state.outside)
    }

    struct EventLoopState {
        var last: Int64
        let width: UInt16, height: UInt16
        var backwards = 0, outside = 0
    }

    /// The hot loop. One pass copies every event of the packet out with no per-event branch while gathering its
    /// checks; a packet that is all in time order and on the sensor (nearly every one) is then kept whole. Any other
    /// packet is written again, advancing the write cursor only for the kept events. Returns the number kept.
    @inline(__always)
    private static func eventKernel(
        _ src: UnsafeRawPointer, _ n: Int,
        _ tp: UnsafeMutablePointer<Microseconds>, _ xp: UnsafeMutablePointer<UInt16>,
        _ yp: UnsafeMutablePointer<UInt16>, _ pp: UnsafeMutablePointer<UInt8>,
        _ state: inout EventLoopState
    ) -> Int {
        let w = state.width, h = state.height
        /// Copies event `j` of the packet into slot `k` of the columns; returns its t, x, y for the checks.
        @inline(__always) func copy(_ j: Int, to k: Int) -> (t: Int64, x: UInt16, y: UInt16) {
            let e = src + j &* 16
            let et = Int64(littleEndian: e.loadUnaligned(as: Int64.self))
            let ex = UInt16(littleEndian: e.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
            let ey = UInt16(littleEndian: e.loadUnaligned(fromByteOffset: 10, as: UInt16.self))
            tp[k] = et
            xp[k] = ex
            yp[k] = ey
            pp[k] = e.load(fromByteOffset: 12, as: UInt8.self) == 0 ? 0 : 1
            return (et, ex, ey)
        }
        var previous = state.last
        var flags: UInt8 = 0
        for j in 0..<n {
            let (et, ex, ey) = copy(j, to: j)
            flags |= (et < previous ? 1 : 0) | (ex >= w ? 1 : 0) | (ey >= h ? 1 : 0)
            previous = et
        }
        if flags == 0 {
            state.last = previous
            return n
        }
        var last = state.last
        var backwards = 0, outside = 0, k = 0
        for j in 0..<n {
            let (et, ex, ey) = copy(j, to: k)
            let inOrder = et >= last
            let inside = ex < w && ey < h
            let keep = inOrder && inside
            last = keep ? et : last
            backwards &+= inOrder ? 0 : 1
            outside &+= inOrder && !inside ? 1 : 0
            k &+= keep ? 1 : 0
        }
        state.last = last
        state.backwards += backwards
        state.outside += outside
        return k
    }

    // MARK: Seeking through the FileDataTable

    private var loadedTable: [AEDAT4PacketIndex]?

    /// The FileDataTable's entries (read once), or nil when the file has none.
    public func dataTable() throws(EventFormatError) -> [AEDAT4PacketIndex]? {
        if let loadedTable { return loadedTable }
        guard let position = dataTablePosition else { return nil }
        let size = input.size - position
        guard size <= Int64(Self.maxPacketBytes) else {
            throw EventFormatError(.badPacket, file: path, offset: position,
                                   expected: "a data table of at most \(Self.maxPacketBytes) bytes", found: "\(size)")
        }
        let resume = input.offset
        try input.seek(to: position)
        let bytes = try input.readBytes(Int(size), what: "the data table")
        try input.seek(to: resume)
        var table: [AEDAT4PacketIndex]
        if compression == .none {
            table = try bytes.withFlatBuffer(file: path, fileOffset: position, what: "the data table") {
                fb throws(EventFormatError) in try AEDAT4FileDataTable.decode(fb)
            }
        } else {
            let n = try bytes.withFlatBuffer(file: path, fileOffset: position, what: "the data table") {
                fb throws(EventFormatError) in
                try decompressor.decompress(fb.base, count: fb.count, lz4Frame: compression.isLZ4) { expected, found in
                    EventFormatError(.badCompression, file: path, offset: position, expected: expected, found: found)
                }
            }
            let plain = Array(UnsafeRawBufferPointer(start: decompressor.output, count: n))
            table = try plain.withFlatBuffer(file: path, fileOffset: position, what: "the data table") {
                fb throws(EventFormatError) in try AEDAT4FileDataTable.decode(fb)
            }
        }
        loadedTable = table
        return table
    }

    /// Positions the reader so that the next event delivered is the first at or after `time`. Needs a data table;
    /// throws `unsupported` without one.
    public func seek(to time: Microseconds) throws(EventFormatError) {
        guard let table = try dataTable() else {
            throw EventFormatError(.unsupported, file: path, offset: nil, expected: "a FileDataTable to seek by time",
                                   found: "none")
        }
        let packets = table.filter { $0.streamId == eventStream?.id }
        let target = packets.first { $0.endT >= time }
        if let target {
            guard target.byteOffset - 8 >= dataStart, target.byteOffset <= packetsEnd else {
                throw EventFormatError(.badPacket, file: path, offset: dataTablePosition,
                                       expected: "data table offsets within the packets", found: "\(target.byteOffset)")
            }
            try input.seek(to: target.byteOffset - 8)
            finished = false
        } else {
            try input.seek(to: packetsEnd)
            finished = true
        }
        lastT = Int64.min
        dropBefore = time
    }
}
