import DVSEvents

/// Writes EVT 2.0 raw files: our `%` header, then one TIME_HIGH word whenever t[33:6] changes and one CD word per
/// event. Times must lie in 0 ..< 2^34 µs (what TIME_HIGH can hold); events must lie on the sensor.
final class EVT2Writer: EventFileWriter {
    let format = EventFileFormat.evt2
    static let timeLimit: Microseconds = 1 << 34
    private let output: FileOutput
    private let checks: EventChecks
    private var timeHigh: Microseconds = -1
    private var words: [UInt32] = []

    init(path: String, sensor: SensorSize) throws(EventFormatError) {
        try PropheseeHeader.checkWritable(sensor: sensor, format: .evt2, path: path)
        checks = EventChecks(sensor: sensor, path: path)
        output = try FileOutput(path: path)
        try output.write(PropheseeHeader.rawHeader(format: .evt2, sensor: sensor))
    }

    func write(_ buffer: EventBuffer) throws(EventFormatError) {
        words.removeAll(keepingCapacity: true)
        words.reserveCapacity(buffer.count * 2)
        for i in 0..<buffer.count {
            try checks.check(buffer, i, offset: output.offset + Int64(words.count) * 4)
            let t = buffer.t[i]
            guard t < Self.timeLimit else {
                throw EventFormatError(.unsupported, file: output.path, offset: output.offset + Int64(words.count) * 4,
                                       expected: "times below 2^34 µs (EVT 2.0 TIME_HIGH holds t[33:6])",
                                       found: "\(t) µs")
            }
            let high = t >> 6
            if high != timeHigh {
                words.append((0x8000_0000 | UInt32(high)).littleEndian)
                timeHigh = high
            }
            let type: UInt32 = buffer.p[i] != 0 ? 1 : 0
            let cd = type << 28 | UInt32(t & 0x3F) << 22 | UInt32(buffer.x[i]) << 11 | UInt32(buffer.y[i])
            words.append(cd.littleEndian)
        }
        try words.withUnsafeBufferPointer { (w) throws(EventFormatError) in try output.write(UnsafeRawBufferPointer(w)) }
    }

    func finish() throws(EventFormatError) { try output.finish() }
}
