import DVSEvents

/// The .dat record decoder (docs/FORMATS.md §1.4, OpenEB `dat_tools.py`): 8 bytes per event, a uint32 LE t then a
/// uint32 LE with x in bits 13–0, y in bits 27–14 and the polarity in bit 28.
///
/// The 32-bit time is unwrapped to 64 bits: a fall of more than 2^31 µs counts as one 2^32 µs wrap. Smaller falls
/// are kept and counted in a warning; events outside the sensor are skipped and counted.
struct DATDecoder: RecordDecoder {
    static let recordSize = 8
    static let maxEventsPerRecord = 1

    private let width: UInt32
    private let height: UInt32
    private let sensor: SensorSize
    private var epoch: Microseconds = 0
    private var lastRaw: UInt32 = 0
    private var lastT: Microseconds = .min
    private(set) var tally = WarningTally()
    private var outside = SkipCounter()
    private var backwards = SkipCounter()

    init(sensor: SensorSize) {
        self.sensor = sensor
        width = UInt32(sensor.width)
        height = UInt32(sensor.height)
    }

    mutating func decode(_ bytes: UnsafeRawPointer, records: Int, offset: Int64,
                         into out: EventColumns, capacity: Int) -> (records: Int, events: Int) {
        let limit = min(records, capacity)
        var n = 0
        var epoch = self.epoch, lastRaw = self.lastRaw, last = lastT
        for i in 0..<limit {
            let raw = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt32.self))
            let w = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 8 &+ 4, as: UInt32.self))
            if raw < lastRaw && lastRaw - raw > 1 << 31 { epoch += 1 << 32 }
            lastRaw = raw
            let et = epoch | Microseconds(raw)
            let ex = w & 0x3FFF
            let ey = (w >> 14) & 0x3FFF
            if ex < width && ey < height {
                out.t[n] = et
                out.x[n] = UInt16(truncatingIfNeeded: ex)
                out.y[n] = UInt16(truncatingIfNeeded: ey)
                out.p[n] = UInt8(truncatingIfNeeded: (w >> 28) & 1)
                n &+= 1
                if et < last { backwards.hit(at: offset + Int64(i) * 8) }
                last = et
            } else {
                outside.hit(at: offset + Int64(i) * 8)
            }
        }
        self.epoch = epoch
        self.lastRaw = lastRaw
        lastT = last
        outside.flush(into: &tally, "events outside the \(sensor) sensor skipped")
        backwards.flush(into: &tally, "time went backwards (events kept as decoded)")
        return (limit, n)
    }
}

/// Opens Prophesee .dat files: `% ` header lines, one event-type byte (0 Event2D or 12 CD; 14 external triggers is
/// refused) and one event-size byte (8), then the records.
///
/// The sensor size comes from `% Width`/`% Height` (or `% geometry`) when present, else `ReadOptions.sensor`, else
/// the default 304×240 (ATIS/Gen1, the sensor of N-CARS and the Gen1 automotive dataset, whose files carry no size).
enum DATReader {
    static let defaultSensor = SensorSize(width: 304, height: 240)

    static func open(path: String, options: ReadOptions) throws(EventFormatError) -> any EventFileReader {
        let input = try FileInput(path: path)
        let header = try PropheseeHeader.read(input)
        var properties = header.properties
        if !header.lines.isEmpty {
            guard try input.need(2) else {
                throw EventFormatError(.truncated, file: path, offset: input.offset,
                                       expected: "the event-type and event-size bytes after the header",
                                       found: "end of file")
            }
            let type = input.bytes.load(as: UInt8.self)
            let size = input.bytes.load(fromByteOffset: 1, as: UInt8.self)
            guard type == 0 || type == 12 else {
                throw EventFormatError(type == 14 ? .unsupported : .badHeader, file: path, offset: input.offset,
                                       expected: "event type 0 (Event2D) or 12 (CD)",
                                       found: type == 14 ? "type 14 (external triggers)" : "type \(type)")
            }
            guard size == 8 else {
                throw EventFormatError(.badHeader, file: path, offset: input.offset + 1,
                                       expected: "event size 8", found: "\(size)")
            }
            input.consume(2)
            properties.append((key: "event type", value: type == 0 ? "0 (Event2D)" : "12 (CD)"))
        }
        let (sensor, source) = try header.sensor(options: options, fallback: defaultSensor, maxSide: 1 << 14,
                                                 path: path)
        properties.append((key: "sensor source", value: source))
        properties.append((key: "data offset", value: "\(input.offset)"))
        let info = StreamInfo(format: EventFileFormat.dat.displayName, sensor: sensor, properties: properties)
        return RecordFileReader(format: .dat, input: input, info: info, decoder: DATDecoder(sensor: sensor),
                                chunkSize: options.chunkSize)
    }
}
