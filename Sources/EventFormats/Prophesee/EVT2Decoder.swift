import DVSEvents

/// The EVT 2.0 word decoder (docs/FORMATS.md §1.4): 32-bit little-endian words, type in bits 31–28.
///
/// CD words (0 OFF, 1 ON) carry t[5:0] in bits 27–22, x in 21–11 and y in 10–0; TIME_HIGH (8) carries t[33:6].
/// As in OpenEB, words before the first TIME_HIGH are skipped. External triggers, IMU, OTHERS, CONTINUED and
/// unknown words are skipped and counted, and so are events outside the sensor.
struct EVT2Decoder: RecordDecoder {
    static let recordSize = 4
    static let maxEventsPerRecord = 1

    private let width: UInt32
    private let height: UInt32
    private let sensor: SensorSize
    private var started = false
    /// t[33:6] << 6 from the last TIME_HIGH.
    private var timeHigh: Microseconds = 0
    private var lastT: Microseconds = .min
    private(set) var tally = WarningTally()

    private var beforeTimeHigh = SkipCounter()
    private var outside = SkipCounter()
    private var backwards = SkipCounter()
    private var triggers = SkipCounter()
    private var otherWords = SkipCounter()
    private var unknownWords = SkipCounter()

    init(sensor: SensorSize) {
        precondition(sensor.width <= 2048 && sensor.height <= 2048, "EVT 2.0 addresses are 11 bits, sensor \(sensor)")
        self.sensor = sensor
        width = UInt32(sensor.width)
        height = UInt32(sensor.height)
    }

    mutating func decode(_ bytes: UnsafeRawPointer, records: Int, offset: Int64,
                         into out: EventColumns, capacity: Int) -> (records: Int, events: Int) {
        let limit = min(records, capacity)
        var i = 0
        if !started {
            while i < limit {
                let w = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
                i += 1
                if w >> 28 == 8 {
                    started = true
                    timeHigh = Microseconds(w & 0x0FFF_FFFF) << 6
                    break
                }
                beforeTimeHigh.hit(at: offset + Int64(i - 1) * 4)
            }
        }
        var n = 0
        var high = timeHigh
        var last = lastT
        let (t, x, y, p) = (out.t, out.x, out.y, out.p)
        while i < limit {
            let w = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
            let type = w >> 28
            if type < 2 {
                let ex = (w >> 11) & 0x7FF
                let ey = w & 0x7FF
                let et = high | Microseconds((w >> 22) & 0x3F)
                if ex < width && ey < height {
                    t[n] = et
                    x[n] = UInt16(truncatingIfNeeded: ex)
                    y[n] = UInt16(truncatingIfNeeded: ey)
                    p[n] = UInt8(truncatingIfNeeded: type)
                    n &+= 1
                    if et < last { backwards.hit(at: offset + Int64(i) * 4) }
                    last = et
                } else {
                    outside.hit(at: offset + Int64(i) * 4)
                }
            } else if type == 8 {
                high = Microseconds(w & 0x0FFF_FFFF) << 6
            } else if type == 0xA {
                triggers.hit(at: offset + Int64(i) * 4)
            } else if type >= 0xD {
                otherWords.hit(at: offset + Int64(i) * 4)
            } else {
                unknownWords.hit(at: offset + Int64(i) * 4)
            }
            i &+= 1
        }
        timeHigh = high
        lastT = last
        beforeTimeHigh.flush(into: &tally, "words before the first TIME_HIGH skipped")
        outside.flush(into: &tally, "events outside the \(sensor) sensor skipped")
        backwards.flush(into: &tally, "time went backwards (events kept as decoded)")
        triggers.flush(into: &tally, "EXT_TRIGGER words skipped")
        otherWords.flush(into: &tally, "IMU, OTHERS and CONTINUED words skipped")
        unknownWords.flush(into: &tally, "words of undefined types (2–7, 9, B, C) skipped")
        return (i, n)
    }
}
