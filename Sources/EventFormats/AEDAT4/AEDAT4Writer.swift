import DVSEvents
import Glibc

/// Writes AEDAT 4.0 files as dv-processing does: one `EVTS` stream (id 0), packets of `eventsPerPacket` events
/// compressed as `WriteOptions.compression` says, and a FileDataTable whose position is patched into the IOHeader
/// by `finish()` — unless the file grows past `WriteOptions.indexLimit` packets: then the table is dropped (its
/// position stays −1, which readers take as "scan the packets"), so that memory does not grow with the recording.
public final class AEDAT4Writer: EventFileWriter {
    public var format: EventFileFormat { .aedat4 }
    public let sensor: SensorSize
    private let output: FileOutput
    private let compressor: FrameCompressor
    private let eventsPerPacket: Int
    private let dataTablePositionAt: Int64
    /// One packet being filled: the 32-byte EventPacket header, then 16 bytes per event.
    private let packet: UnsafeMutableRawPointer
    private var pending = 0
    private var pendingStart: Int64 = 0
    private var lastT = Int64.min
    private var written: Int64 = 0
    private var table: [AEDAT4PacketIndex] = []
    private let indexLimit: Int
    /// Whether the finished file lists its packets in a data table (false once it outgrew `indexLimit`).
    public private(set) var isIndexed = true
    /// `WriteOptions.flushInterval`: whole packets reach the file at least this often (seconds), nil: when full.
    private let flushInterval: Double?
    private var lastFlush: Double
    /// The file's size at its last fsync.
    private var syncedTo: Int64 = 0
    /// Seconds on a monotonic clock (injected by tests).
    private let now: () -> Double

    public convenience init(path: String, sensor: SensorSize, options: WriteOptions = WriteOptions()) throws(EventFormatError) {
        try self.init(path: path, sensor: sensor, options: options, clock: AEDAT4Writer.seconds)
    }

    init(path: String, sensor: SensorSize, options: WriteOptions, clock: @escaping () -> Double) throws(EventFormatError) {
        precondition(options.eventsPerPacket > 0, "eventsPerPacket must be positive, got \(options.eventsPerPacket)")
        guard sensor.width <= Int(Int16.max) && sensor.height <= Int(Int16.max) else {
            throw EventFormatError(.unsupported, file: path, offset: nil, expected: "a sensor of at most 32767×32767",
                                   found: "\(sensor)")
        }
        self.sensor = sensor
        flushInterval = options.flushInterval
        output = try FileOutput(path: path, inPlace: options.flushInterval != nil)
        now = clock
        lastFlush = clock()
        let compression = AEDAT4Compression(options.compression)
        compressor = FrameCompressor(compression)
        eventsPerPacket = options.eventsPerPacket
        indexLimit = options.indexLimit
        packet = .allocate(byteCount: EventPacketLayout.header + EventPacketLayout.eventSize * eventsPerPacket,
                           alignment: 16)
        let stream = AEDAT4Stream(id: 0, typeIdentifier: "EVTS", outputName: "events", compression: compression.name,
                                  sizeX: sensor.width, sizeY: sensor.height, source: "ottt")
        let header = AEDAT4IOHeader(compression: compression, dataTablePosition: -1,
                                    description: AEDAT4Description.make([stream]))
        let (bytes, at) = header.encoded()
        dataTablePositionAt = Int64(at)
        try output.write(bytes)
        if flushInterval != nil { try output.flush() }    // written as it goes: a valid file from the start
    }

    deinit { packet.deallocate() }

    /// Appends `buffer`; when written as it goes (`flushInterval`), also flushes the pending packet and fsyncs the
    /// file once the interval has passed — an empty buffer is such a tick, for a stream that fell silent.
    public func write(_ buffer: EventBuffer) throws(EventFormatError) {
        try append(buffer)
        guard let interval = flushInterval else { return }
        let time = now()
        guard time - lastFlush >= interval else { return }
        try flushPacket()
        if output.offset != syncedTo {                     // at most once an interval: a power cut keeps it too
            try output.sync()
            syncedTo = output.offset
        }
        lastFlush = time
    }

    /// Seconds on the monotonic clock.
    private static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    private func append(_ buffer: EventBuffer) throws(EventFormatError) {
        let (ts, xs, ys, ps) = (buffer.t, buffer.x, buffer.y, buffer.p)
        guard let tb = ts.baseAddress, let xb = xs.baseAddress, let yb = ys.baseAddress, let pb = ps.baseAddress else {
            return
        }
        let w = UInt16(sensor.width), h = UInt16(sensor.height)
        var i = 0
        while i < buffer.count {
            let n = min(buffer.count - i, eventsPerPacket - pending)
            let events = packet + EventPacketLayout.header + pending * EventPacketLayout.eventSize
            if let bad = AEDAT4EventKernel.pack(tb + i, xb + i, yb + i, pb + i, n, last: lastT, width: w, height: h,
                                                into: events) {
                let k = i + bad
                throw rejected(buffer[k], index: written + Int64(k), previous: k > i ? ts[k - 1] : lastT)
            }
            let last = n > 0 ? ts[i + n - 1] : lastT
            if pending == 0 && n > 0 { pendingStart = ts[i] }
            lastT = last
            pending += n
            i += n
            if pending == eventsPerPacket { try flushPacket() }
        }
        written += Int64(buffer.count)
    }

    /// The error for event `index`, which follows an event at time `previous`.
    private func rejected(_ e: Event, index: Int64, previous: Int64) -> EventFormatError {
        if e.t < previous {
            return EventFormatError(.timeBackwards, file: output.path, offset: nil,
                                    expected: "event \(index) at or after t = \(previous) µs", found: "t = \(e.t) µs")
        }
        return EventFormatError(.outsideSensor, file: output.path, offset: nil,
                                expected: "event \(index) on the \(sensor) sensor", found: "x = \(e.x), y = \(e.y)")
    }

    private func flushPacket() throws(EventFormatError) {
        guard pending > 0 else { return }
        EventPacketLayout.writeHeader(count: pending, to: packet)
        let count = EventPacketLayout.header + pending * EventPacketLayout.eventSize
        let (elements, start, end) = (Int64(pending), pendingStart, lastT)
        try compressor.compress(packet, count: count) { (frame) throws(EventFormatError) in
            try output.write(littleEndian: Int32(0))
            try output.write(littleEndian: Int32(frame.count))
            if isIndexed && table.count == indexLimit {
                isIndexed = false
                table = []
            }
            if isIndexed {
                table.append(AEDAT4PacketIndex(byteOffset: output.offset, streamId: 0, size: Int32(frame.count),
                                               elements: elements, startT: start, endT: end))
            }
            try output.write(frame)
        }
        pending = 0
        if flushInterval != nil { try output.flush() }    // whole packets only reach the file: it reads as it stands
    }

    public func finish() throws(EventFormatError) {
        try flushPacket()
        if isIndexed { try writeTable() }
        try output.finish()
    }

    /// The FileDataTable after the last packet, and its position patched into the IOHeader.
    private func writeTable() throws(EventFormatError) {
        let position = output.offset
        let bytes = AEDAT4FileDataTable.encode(table)
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { copy.deallocate() }
        copy.copyBytes(from: bytes)
        try compressor.compress(copy.baseAddress!, count: copy.count) { (frame) throws(EventFormatError) in
            try output.write(frame)
        }
        var patch = [UInt8]()
        withUnsafeBytes(of: position.littleEndian) { patch.append(contentsOf: $0) }
        try output.patch(at: dataTablePositionAt, patch)
    }
}
