import DVSEvents

/// Streaming reader of AEDAT 4.0 (DV) files: the IOHeader and its stream description, then packets of any stream
/// (8-byte header: int32 stream id, int32 size), uncompressed or one LZ4 / Zstandard frame each.
///
/// Events come from the first `EVTS` stream; packets of other streams (frames, IMU, triggers, more event streams)
/// are stepped over without decompressing them and counted per stream in `warnings`. Events whose time goes
/// backwards or that lie outside the sensor are skipped and counted. With a FileDataTable, `seek(to:)` jumps to a
/// time. Chunks hold whole packets: a chunk reaches `ReadOptions.chunkSize` events or more by at most one packet.
///
/// A packet is converted in one pass from where its bytes are (the input window, or the decompressor's reused
/// buffer) into the columns (`AEDAT4EventKernel`). With `ReadOptions.readAhead`, packets are read ahead on a second
/// thread and decompressed on both (`AEDAT4ReadAhead`). A damaged packet never costs the events before it: they are delivered,
/// then the error is thrown, or with `ReadOptions.stopAtDamage` reading ends there and `damage` says so.
public final class AEDAT4Reader: EventFileReader, ReadProgress, DamageReporting {
    public var format: EventFileFormat { .aedat4 }
    public let path: String
    public let info: StreamInfo
    public var warnings: [EventFormatWarning] {
        var t = tally
        for s in streams where s.id != eventStream?.id {
            let n = skippedPackets[s.id, default: 0]
            t.add("stream \(s.id) (\(s.typeIdentifier) \(s.outputName)): packets skipped", at: nil, count: n)
        }
        return t.warnings
    }
    public private(set) var bytesRead: Int64
    public let fileSize: Int64
    public var damage: ReadDamage? { policy.damage }

    public let compression: AEDAT4Compression
    public let streams: [AEDAT4Stream]
    /// The stream whose events are delivered.
    public let eventStream: AEDAT4Stream?
    /// Where the FileDataTable starts, or nil when the file has none.
    public let dataTablePosition: Int64?

    /// Cap on a packet's size read from the file before allocating or reading it.
    static var maxPacketBytes: Int { AEDAT4PacketScanner.maxPacketBytes }

    private let scanner: AEDAT4PacketScanner
    private var readAhead: AEDAT4ReadAhead?
    private let useReadAhead: Bool
    private let dataStart: Int64
    /// Where packets end: the data table, or the end of the file.
    private let packetsEnd: Int64
    private let chunkSize: Int
    private let width: UInt16, height: UInt16
    private var tally = WarningTally()
    private var policy: DamagePolicy
    private var skippedPackets: [Int32: Int] = [:]
    private var lastT = Int64.min
    private var finished = false
    private var dropBefore: Int64?

    public init(path: String, options: ReadOptions = ReadOptions()) throws(EventFormatError) {
        self.path = path
        // The header through a small window of its own; the packets through a window sized for their compression.
        let head = try FileInput(path: path, windowSize: 1 << 16)
        let header = try AEDAT4IOHeader.read(from: head)
        let window = AEDAT4PacketScanner.window(for: header.compression)
        let input = try FileInput(path: path, windowSize: window)
        try input.seek(to: head.offset)
        fileSize = input.size
        compression = header.compression
        streams = AEDAT4Description.parse(header.description)
        eventStream = streams.first { $0.typeIdentifier == "EVTS" }
        dataStart = input.offset
        bytesRead = dataStart
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
        scanner = AEDAT4PacketScanner(input: input, window: window, compression: compression, streams: streams,
                                      eventStream: eventStream?.id, packetsEnd: packetsEnd,
                                      hasTable: dataTablePosition != nil)
        chunkSize = max(1, options.chunkSize)
        policy = DamagePolicy(stopAtDamage: options.stopAtDamage)
        // Uncompressed packets are converted in place; a second thread would only add a copy (measured slower).
        useReadAhead = options.readAhead && compression != .none
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

    deinit { readAhead?.stop() }

    public func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        try policy.throwPending()
        while buffer.count < chunkSize && !finished {
            do {
                try readPacket(into: buffer)
            } catch {
                finished = true
                stopReadAhead()
                try policy.met(error, packetAt: failedAt, fileSize: fileSize, delivered: buffer.count, tally: &tally)
            }
        }
        return !(finished && buffer.isEmpty)
    }

    /// Where the packet that failed starts (the read-ahead's slot says; the scanner knows its own).
    private var slotAt: Int64 = 0
    private var failedAt: Int64 { useReadAhead ? slotAt : scanner.current }

    /// Reads the next event packet (on this thread or from the read-ahead) and appends its events.
    private func readPacket(into buffer: EventBuffer) throws(EventFormatError) {
        guard useReadAhead else {
            guard let packet = try scanner.next() else {
                finished = true
                return
            }
            skippedPackets = scanner.skippedPackets
            try decodePacket(packet.body, count: packet.count, at: packet.at, into: buffer)
            bytesRead = packet.end
            return
        }
        if readAhead == nil { readAhead = AEDAT4ReadAhead(scanner: scanner) }
        guard let ahead = readAhead else { return }
        let slot = ahead.next()
        defer { ahead.release() }
        skippedPackets = slot.skipped
        slotAt = slot.at
        switch slot.content {
        case .end:
            finished = true
            stopReadAhead()
        case .failure(let error):
            throw error
        case .packet:
            try decodePacket(UnsafeRawPointer(slot.buffer.bytes), count: slot.buffer.count, at: slot.at, into: buffer)
            bytesRead = slot.end
        }
    }

    private func stopReadAhead() {
        readAhead?.stop()
        readAhead = nil
    }

    /// Appends the events of one packet's plain bytes (a size-prefixed `EVTS` FlatBuffer).
    private func decodePacket(_ bytes: UnsafeRawPointer, count n: Int, at: Int64, into buffer: EventBuffer)
        throws(EventFormatError)
    {
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
        var state = AEDAT4EventKernel.State(last: lastT, width: width, height: height)
        buffer.appendUnsafe(maxCount: n) { tp, xp, yp, pp in
            AEDAT4EventKernel.convert(src, n, tp, xp, yp, pp, &state)
        }
        lastT = state.last
        if dropBefore != nil {
            dropBefore = nil
        } else {
            tally.add("events with time going backwards skipped", at: at, count: state.backwards)
        }
        tally.add("events outside the \(width)×\(height) sensor skipped", at: at, count: state.outside)
    }

    // MARK: Seeking through the FileDataTable

    private var loadedTable: [AEDAT4PacketIndex]?

    /// The FileDataTable's entries (read once), or nil when the file has none.
    public func dataTable() throws(EventFormatError) -> [AEDAT4PacketIndex]? {
        if let loadedTable { return loadedTable }
        guard let position = dataTablePosition else { return nil }
        let size = fileSize - position
        guard size <= Int64(Self.maxPacketBytes) else {
            throw EventFormatError(.badPacket, file: path, offset: position,
                                   expected: "a data table of at most \(Self.maxPacketBytes) bytes", found: "\(size)")
        }
        // A cursor of its own, so that the packets' reading (perhaps on the read-ahead thread) is left alone.
        let input = try FileInput(path: path, windowSize: 1 << 16)
        try input.seek(to: position)
        let bytes = try input.readBytes(Int(size), what: "the data table")
        let decompressor = FrameDecompressor()
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
            stopReadAhead()
            try scanner.input.seek(to: target.byteOffset - 8)
            finished = false
        } else {
            stopReadAhead()
            try scanner.input.seek(to: packetsEnd)
            finished = true
        }
        lastT = Int64.min
        dropBefore = time
        bytesRead = scanner.input.offset
    }
}
