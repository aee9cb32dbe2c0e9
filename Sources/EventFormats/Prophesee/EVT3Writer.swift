import DVSEvents

/// Writes EVT 3.0 raw files that `EVT3Decoder` (and OpenEB's semantics) read back exactly.
///
/// Per event: TIME_HIGH/TIME_LOW only when they change, ADDR_Y only when the row changes, then either ADDR_X or,
/// for a run of at least two consecutive events with the same time, row and polarity and increasing x within 12
/// columns, one vector word (VECT_BASE_X when the base differs, then VECT_8 if the run fits in 8 columns, else
/// VECT_12). Time crosses 2^24 µs by TIME_HIGH words that the decoder counts as a wrap (0xFFF then 0); a jump of
/// more than 2^34 µs between two events (or from 0 to the first) is refused rather than padded with millions of
/// words, and so is a fall that the format cannot express (into an earlier 2^24 µs period).
final class EVT3Writer: EventFileWriter {
    let format = EventFileFormat.evt3
    /// The most wraps one gap may need.
    static let maxWrapsPerGap: Int64 = 1 << 10
    private let output: FileOutput
    private let checks: EventChecks
    private var started = false
    private var loops: Int64 = 0
    private var high: UInt16 = 0
    private var low: UInt16 = 0
    private var row = -1
    private var baseX = -1
    private var basePolarity: UInt8 = 0
    private var words: [UInt16] = []

    init(path: String, sensor: SensorSize) throws(EventFormatError) {
        try PropheseeHeader.checkWritable(sensor: sensor, format: .evt3, path: path)
        checks = EventChecks(sensor: sensor, path: path)
        output = try FileOutput(path: path)
        try output.write(PropheseeHeader.rawHeader(format: .evt3, sensor: sensor))
    }

    @inline(__always) private func emit(_ type: UInt16, _ payload: UInt16) {
        words.append((type << 12 | payload).littleEndian)
    }

    private var here: Int64 { output.offset + Int64(words.count) * 2 }

    /// Emits the time words that bring the decoder's time to `t`.
    private func moveTime(to t: Microseconds) throws(EventFormatError) {
        let targetLoops = t >> 24
        let targetHigh = UInt16((t >> 12) & 0xFFF)
        let targetLow = UInt16(t & 0xFFF)
        if !started {
            started = true
            emit(0x8, 0)
        }
        if targetLoops < loops || (targetLoops == loops && targetHigh < high && high - targetHigh > 4096 - 10) {
            throw EventFormatError(.timeBackwards, file: output.path, offset: here,
                                   expected: "a time EVT 3.0 can express after \(loops << 24 | Int64(high) << 12 | Int64(low)) µs (no fall into an earlier 2^24 µs period)",
                                   found: "\(t) µs")
        }
        guard targetLoops - loops <= Self.maxWrapsPerGap else {
            throw EventFormatError(.unsupported, file: output.path, offset: here,
                                   expected: "gaps of at most 2^34 µs between events (shift times to start near 0)",
                                   found: "a jump to \(t) µs")
        }
        while loops < targetLoops {
            if high < 4096 - 9 { emit(0x8, 0xFFF) }
            emit(0x8, 0)
            loops += 1
            high = 0
            low = 0
        }
        if targetHigh != high {
            emit(0x8, targetHigh)
            high = targetHigh
            low = 0
        }
        if targetLow != low {
            emit(0x6, targetLow)
            low = targetLow
        }
    }

    func write(_ buffer: EventBuffer) throws(EventFormatError) {
        words.removeAll(keepingCapacity: true)
        words.reserveCapacity(buffer.count * 3)
        let n = buffer.count
        let (T, X, Y, P) = (buffer.t, buffer.x, buffer.y, buffer.p)
        var i = 0
        while i < n {
            try checks.check(buffer, i, offset: here)
            let t = T[i], y = Y[i], x0 = X[i]
            let p0: UInt8 = P[i] != 0 ? 1 : 0
            try moveTime(to: t)
            if Int(y) != row {
                emit(0x0, y)
                row = Int(y)
            }
            // The run that one vector word can carry: same t, row and polarity, x increasing within 12 columns.
            var j = i + 1
            var mask: UInt16 = 1
            while j < n && T[j] == t && Y[j] == y && (P[j] != 0 ? 1 : 0) == p0 && X[j] > X[j - 1] && X[j] - x0 < 12 {
                try checks.check(buffer, j, offset: here)
                mask |= 1 << (X[j] - x0)
                j += 1
            }
            if j - i >= 2 {
                if baseX != Int(x0) || basePolarity != p0 {
                    emit(0x3, UInt16(p0) << 11 | x0)
                    basePolarity = p0
                }
                if mask < 0x100 {
                    emit(0x5, mask)
                    baseX = Int(x0) + 8
                } else {
                    emit(0x4, mask)
                    baseX = Int(x0) + 12
                }
            } else {
                emit(0x2, UInt16(p0) << 11 | x0)
            }
            i = j
        }
        try words.withUnsafeBufferPointer { (w) throws(EventFormatError) in try output.write(UnsafeRawBufferPointer(w)) }
    }

    func finish() throws(EventFormatError) { try output.finish() }
}
