import DVSEvents

/// Writes `t,x,y,p` text files: a `t,x,y,p` header line, then one line per event (t in µs, p 1 = ON, 0 = OFF).
/// Events must lie on the sensor given at creation.
final class CSVWriter: EventFileWriter {
    let format = EventFileFormat.csv
    private let output: FileOutput
    private let sensor: SensorSize
    private var text: [UInt8] = []

    init(path: String, sensor: SensorSize) throws(EventFormatError) {
        self.sensor = sensor
        output = try FileOutput(path: path)
        try output.write("t,x,y,p\n")
    }

    func write(_ buffer: EventBuffer) throws(EventFormatError) {
        text.removeAll(keepingCapacity: true)
        text.reserveCapacity(buffer.count * 24)
        for i in 0..<buffer.count {
            let x = buffer.x[i], y = buffer.y[i]
            guard sensor.contains(x: Int(x), y: Int(y)) else {
                throw EventFormatError(.outsideSensor, file: output.path, offset: output.offset + Int64(text.count),
                                       expected: "events on the \(sensor) sensor",
                                       found: "x \(x), y \(y) (event \(i) of the chunk)")
            }
            append(buffer.t[i])
            text.append(UInt8(ascii: ","))
            append(Int64(x))
            text.append(UInt8(ascii: ","))
            append(Int64(y))
            text.append(UInt8(ascii: ","))
            text.append(buffer.p[i] != 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            text.append(UInt8(ascii: "\n"))
        }
        try output.write(text)
    }

    /// Appends the decimal digits of `value`.
    private func append(_ value: Int64) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
            text.append(contentsOf: d[(20 - n)...])
        }
    }

    func finish() throws(EventFormatError) { try output.finish() }
}
