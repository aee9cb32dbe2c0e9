import DVSEvents

/// The N-MNIST / N-Caltech101 record decoder (docs/FORMATS.md §1.5): 5 bytes per record, a big-endian 40-bit word with
/// x in bits 39–32, y in 31–24, polarity in bit 23 (1 = ON) and t in 22–0 (µs).
///
/// As in tonic's `read_mnist_file`, a record with y == 240 is a time-overflow marker: it is not an event, and it adds
/// 2^13 µs to its own time and to every later record's. Events outside the sensor are skipped and counted.
struct NMNISTDecoder: RecordDecoder {
    static let recordSize = 5
    static let maxEventsPerRecord = 1
    static let overflowRow: UInt8 = 240
    static let overflowStep: Microseconds = 1 << 13

    private let width: UInt32
    private let height: UInt32
    private let sensor: SensorSize
    private var overflow: Microseconds = 0
    private var lastT: Microseconds = .min
    /// Overflow markers seen so far.
    private(set) var markers = 0
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
        let b = bytes.assumingMemoryBound(to: UInt8.self)
        var n = 0
        var last = lastT
        for i in 0..<limit {
            let r = b + i &* 5
            let ex = UInt32(r[0]), ey = r[1]
            if ey == Self.overflowRow {
                overflow += Self.overflowStep
                markers += 1
                continue
            }
            let et = overflow + Microseconds(UInt32(r[2] & 0x7F) << 16 | UInt32(r[3]) << 8 | UInt32(r[4]))
            if ex < width && UInt32(ey) < height {
                out.t[n] = et
                out.x[n] = UInt16(ex)
                out.y[n] = UInt16(ey)
                out.p[n] = r[2] >> 7
                n &+= 1
                if et < last { backwards.hit(at: offset + Int64(i) * 5) }
                last = et
            } else {
                outside.hit(at: offset + Int64(i) * 5)
            }
        }
        lastT = last
        outside.flush(into: &tally, "events outside the \(sensor) sensor skipped")
        backwards.flush(into: &tally, "time went backwards (events kept as decoded)")
        return (limit, n)
    }
}

/// Opens N-MNIST / N-Caltech101 `.bin` files (no header). The sensor is `ReadOptions.sensor`, else N-MNIST's
/// 34×34 (pass the size for N-Caltech101, whose samples vary up to about 240×180).
enum NMNISTReader {
    static let defaultSensor = SensorSize.nmnist

    static func open(path: String, options: ReadOptions) throws(EventFormatError) -> any EventFileReader {
        let input = try FileInput(path: path)
        let sensor = options.sensor ?? defaultSensor
        let source = options.sensor == nil ? "default (N-MNIST 34×34)" : "read options"
        let info = StreamInfo(format: EventFileFormat.nmnist.displayName, sensor: sensor,
                              properties: [(key: "sensor source", value: source)])
        return RecordFileReader(format: .nmnist, input: input, info: info, decoder: NMNISTDecoder(sensor: sensor),
                                chunkSize: options.chunkSize)
    }
}
