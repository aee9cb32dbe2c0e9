import DVSEvents

/// The EVT 3.0 word decoder with OpenEB's semantics (docs/FORMATS.md §1.4): 16-bit little-endian words, type in
/// bits 15–12, state carried between words.
///
/// - ADDR_Y (0x0) sets the row; ADDR_X (0x2) emits one event at x with the polarity in bit 11.
/// - VECT_BASE_X (0x3) sets the base column and polarity; VECT_12 (0x4) and VECT_8 (0x5) emit one event per set
///   bit (bit k → base + k) and advance the base by 12 or 8. (OpenEB's HAL decoder additionally drops a VECT_8
///   that does not follow two VECT_12; the documented format and faery's writer do not require that pairing, so
///   every VECT_8 is decoded here.)
/// - TIME_HIGH (0x8) sets t[23:12]: it keeps the low part when the high part is unchanged and zeroes it otherwise;
///   a fall of more than 4086 (almost the full 12-bit range) counts one 2^24 µs wrap.
/// - TIME_LOW (0x6) sets t[11:0] as sent: no clamping, so time may step back a little (events that do are counted
///   in a warning).
/// - Words before the first TIME_HIGH are skipped. EXT_TRIGGER, OTHERS, CONTINUED and undefined words are skipped
///   and counted, and so are events outside the sensor.
struct EVT3Decoder: RecordDecoder {
    static let recordSize = 2
    static let maxEventsPerRecord = 12

    private let width: UInt32
    private let height: UInt32
    private let sensor: SensorSize
    private var started = false
    /// Completed 2^24 µs wraps, t[23:12] and t[11:0].
    private var loops: Int64 = 0
    private var high: UInt32 = 0
    private var low: UInt32 = 0
    /// The current time: (loops << 24) | (high << 12) | low.
    private var time: Microseconds = 0
    /// The time of the last event emitted.
    private var lastT: Microseconds = .min
    private var row: UInt32 = 0
    private var baseX: UInt32 = 0
    private var basePolarity: UInt8 = 0
    private(set) var tally = WarningTally()

    private var beforeTimeHigh = SkipCounter()
    private var outside = SkipCounter()
    private var backwards = SkipCounter()
    private var triggers = SkipCounter()
    private var otherWords = SkipCounter()
    private var unknownWords = SkipCounter()
    /// 2^24 µs wraps seen so far (reported as a property by the reader, not a warning).
    var wraps: Int64 { loops }

    init(sensor: SensorSize) {
        precondition(sensor.width <= 2048 && sensor.height <= 2048, "EVT 3.0 addresses are 11 bits, sensor \(sensor)")
        self.sensor = sensor
        width = UInt32(sensor.width)
        height = UInt32(sensor.height)
    }

    mutating func decode(_ bytes: UnsafeRawPointer, records: Int, offset: Int64,
                         into out: EventColumns, capacity: Int) -> (records: Int, events: Int) {
        var i = 0
        if !started {
            while i < records {
                let w = UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)))
                i += 1
                if w >> 12 == 8 {
                    started = true
                    high = w & 0xFFF
                    time = Microseconds(high) << 12
                    break
                }
                beforeTimeHigh.hit(at: offset + Int64(i - 1) * 2)
            }
        }
        var n = 0
        let stop = capacity - Self.maxEventsPerRecord
        let (t, x, y, p) = (out.t, out.x, out.y, out.p)
        var now = time
        var last = lastT
        while i < records && n <= stop {
            let w = UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)))
            switch w >> 12 {
            case 0x2:  // ADDR_X
                let ex = w & 0x7FF
                if ex < width && row < height {
                    t[n] = now
                    x[n] = UInt16(truncatingIfNeeded: ex)
                    y[n] = UInt16(truncatingIfNeeded: row)
                    p[n] = UInt8(truncatingIfNeeded: (w >> 11) & 1)
                    n &+= 1
                    if now < last { backwards.hit(at: offset + Int64(i) * 2) }
                    last = now
                } else {
                    outside.hit(at: offset + Int64(i) * 2)
                }
            case 0x0:  // ADDR_Y
                row = w & 0x7FF
            case 0x4, 0x5:  // VECT_12, VECT_8
                let is12 = w >> 12 == 0x4
                var bits = is12 ? w & 0xFFF : w & 0xFF
                if bits != 0 {
                    if now < last { backwards.hit(at: offset + Int64(i) * 2) }
                    last = now
                }
                while bits != 0 {
                    let ex = baseX &+ UInt32(bits.trailingZeroBitCount)
                    if ex < width && row < height {
                        t[n] = now
                        x[n] = UInt16(truncatingIfNeeded: ex)
                        y[n] = UInt16(truncatingIfNeeded: row)
                        p[n] = basePolarity
                        n &+= 1
                    } else {
                        outside.hit(at: offset + Int64(i) * 2)
                    }
                    bits &= bits &- 1
                }
                baseX &+= is12 ? 12 : 8
            case 0x3:  // VECT_BASE_X
                baseX = w & 0x7FF
                basePolarity = UInt8(truncatingIfNeeded: (w >> 11) & 1)
            case 0x6:  // TIME_LOW
                low = w & 0xFFF
                now = (loops << 24) | Microseconds(high << 12 | low)
            case 0x8:  // TIME_HIGH
                let newHigh = w & 0xFFF
                if newHigh < high && high - newHigh > 4096 - 10 { loops += 1 }
                if newHigh != high { low = 0 }
                high = newHigh
                now = (loops << 24) | Microseconds(high << 12 | low)
            case 0xA:
                triggers.hit(at: offset + Int64(i) * 2)
            case 0x7, 0xE, 0xF:
                otherWords.hit(at: offset + Int64(i) * 2)
            default:
                unknownWords.hit(at: offset + Int64(i) * 2)
            }
            i &+= 1
        }
        time = now
        lastT = last
        beforeTimeHigh.flush(into: &tally, "words before the first TIME_HIGH skipped")
        outside.flush(into: &tally, "events outside the \(sensor) sensor skipped")
        backwards.flush(into: &tally, "time went backwards (events kept at the time sent, OpenEB semantics)")
        triggers.flush(into: &tally, "EXT_TRIGGER words skipped")
        otherWords.flush(into: &tally, "OTHERS and CONTINUED words skipped")
        unknownWords.flush(into: &tally, "words of undefined types (1, 9, B, C, D) skipped")
        return (i, n)
    }
}
