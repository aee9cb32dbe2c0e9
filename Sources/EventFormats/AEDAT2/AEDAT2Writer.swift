import DVSEvents

/// Writes AEDAT 2.0 files with the DVS128 address layout and a jAER header (CRLF lines, `# AEChip:` DVS128), as
/// CIFAR10-DVS ships. Coordinates become raw addresses through `convention` (jAER's by default, the inverse of
/// the reader's default); timestamps keep their low 32 bits, which the reader unwraps as long as consecutive events
/// are less than 2³¹ µs apart.
public final class AEDAT2Writer: EventFileWriter {
    public var format: EventFileFormat { .aedat2 }
    public let convention: DVS128Convention
    private let output: FileOutput
    /// Records of one buffer, big-endian, before they go to `output`.
    private var staging = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
    private var stagingCapacity = 1
    private var lastT = Int64.min
    private var written: Int64 = 0

    static let chip = "ch.unizh.ini.jaer.chip.retina.DVS128"

    public init(path: String, sensor: SensorSize, convention: DVS128Convention = .jAER) throws(EventFormatError) {
        guard sensor.width <= 128 && sensor.height <= 128 else {
            throw EventFormatError(.unsupported, file: path, offset: nil,
                                   expected: "a sensor of at most 128×128 (the DVS128 address layout)", found: "\(sensor)")
        }
        self.convention = convention
        output = try FileOutput(path: path)
        let lines = [
            "#!AER-DAT2.0",
            "# This is a raw AE data file - do not edit",
            "# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event",
            "# Timestamps tick is 1 us",
            "# created by ottt",
            "# AEChip: \(Self.chip)",
        ]
        try output.write(lines.map { $0 + "\r\n" }.joined())
    }

    deinit { staging.deallocate() }

    public func write(_ buffer: EventBuffer) throws(EventFormatError) {
        let n = buffer.count
        if stagingCapacity < n {
            staging.deallocate()
            staging = .allocate(byteCount: 8 * n, alignment: 8)
            stagingCapacity = n
        }
        let (ts, xs, ys, ps) = (buffer.t, buffer.x, buffer.y, buffer.p)
        var bad: Int?
        var last = lastT
        let convention = self.convention
        let out = staging
        for i in 0..<n {
                let t = ts[i], x = xs[i], y = ys[i]
                if t < last || x > 127 || y > 127 { bad = i; break }
                last = t
                let a = convention.address(x: x, y: y, on: ps[i] != 0)
                out.storeBytes(of: a.bigEndian, toByteOffset: 8 * i, as: UInt32.self)
                out.storeBytes(of: UInt32(truncatingIfNeeded: t).bigEndian, toByteOffset: 8 * i + 4, as: UInt32.self)
        }
        if let i = bad {
            let e = buffer[i]
            if e.t < last {
                throw EventFormatError(.timeBackwards, file: output.path, offset: nil,
                                       expected: "event \(written + Int64(i)) at or after t = \(last) µs", found: "t = \(e.t) µs")
            }
            throw EventFormatError(.outsideSensor, file: output.path, offset: nil,
                                   expected: "event \(written + Int64(i)) on the 128×128 sensor", found: "x = \(e.x), y = \(e.y)")
        }
        lastT = last
        written += Int64(n)
        try output.write(UnsafeRawBufferPointer(start: staging, count: 8 * n))
    }

    public func finish() throws(EventFormatError) {
        try output.finish()
    }
}
