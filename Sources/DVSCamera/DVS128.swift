import DVSEvents

/// The DVS128 (FX2, no FPGA): 128×128 pixels, a 36-byte bias blob, start/stop by vendor request, and 4-byte
/// event words. Facts: docs/USB.md §3–5, libcaer's dvs128.c.
struct DVS128Driver: FamilyDriver {
    enum Request {
        static let startTransfer: UInt8 = 0xB3
        static let stopTransfer: UInt8 = 0xB4
        static let sendBiases: UInt8 = 0xB8
        static let resetTimestamps: UInt8 = 0xBB
    }

    /// The twelve biases in the order the chip's shift register takes them, each 24-bit, with libcaer's "Fast"
    /// defaults: CAS, INJGND, REQPD, PUX, DIFFOFF, REQ, REFR, PUY, DIFFON, DIFF, FOLL, PR.
    static let defaultBiases: [UInt32] = [
        1992, 1_108_364, 16_777_215, 8_159_221, 132, 309_590, 969, 16_777_215, 209_996, 13_125, 271, 217,
    ]

    /// The 36-byte payload of request 0xB8: each bias as 3 bytes big-endian.
    static func biasBlob(_ biases: [UInt32]) -> [UInt8] {
        precondition(biases.count == 12, "the DVS128 takes 12 biases, got \(biases.count)")
        return biases.flatMap { b -> [UInt8] in
            precondition(b < 1 << 24, "a DVS128 bias is 24-bit, got \(b)")
            return [UInt8(b >> 16), UInt8((b >> 8) & 0xFF), UInt8(b & 0xFF)]
        }
    }

    func configure(_ control: ControlChannel) throws -> SensorGeometry {
        try control.vendorOut(request: Request.sendBiases, value: 0, index: 0, data: Self.biasBlob(Self.defaultBiases))
        return SensorGeometry(rawWidth: 128, rawHeight: 128)
    }

    func startBeforeTransfers(_ control: ControlChannel) throws {}

    func startAfterTransfers(_ control: ControlChannel) throws {
        try control.vendorOut(request: Request.startTransfer, value: 0, index: 0, data: [])
    }

    func stop(_ control: ControlChannel) throws {
        try control.vendorOut(request: Request.stopTransfer, value: 0, index: 0, data: [])
    }

    func resetTimestamps(_ control: ControlChannel) throws {
        try control.vendorOut(request: Request.resetTimestamps, value: 0, index: 0, data: [])
    }

    func close(_ control: ControlChannel) throws {}

    func makeDecoder(_ geometry: SensorGeometry) -> any EventWordDecoder { DVS128Decoder() }
}

/// Decodes DVS128 words: 4 bytes little-endian, address in the low half, timestamp in the high half.
///
/// Address: bit 0 polarity (0 = ON), bits 1–7 X, bits 8–14 Y (both mirrored: 127 − raw), bit 15 an external sync
/// event (skipped). Timestamp: 14-bit µs; bit 15 set marks a wrap (+0x4000 µs), bit 14 a timestamp reset.
public struct DVS128Decoder: EventWordDecoder {
    public private(set) var clock = TimestampClock()
    public private(set) var invalidWords = 0
    /// External sync/trigger words seen (not events).
    public private(set) var syncWords = 0
    private var words = WordSplitter(size: 4)

    public init() {}

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into out: EventBuffer) {
        // State in locals while the loop runs: no access through `self` or the buffer object per word.
        var splitter = words, clock = self.clock, sync = syncWords
        defer { words = splitter; self.clock = clock; syncWords = sync }
        out.appendUnsafe(maxCount: bytes.count / 4 + 1) { t, x, y, p in
            var n = 0
            splitter.forEachWord(in: bytes) { w in
                let timestamp = w >> 16
                if timestamp & 0x8000 != 0 {
                    clock.wrap(by: 0x4000)
                } else if timestamp & 0x4000 != 0 {
                    clock.reset()
                } else {
                    clock.stamp(low: Int64(timestamp))
                    if w & 0x8000 != 0 {
                        sync += 1
                    } else {
                        t[n] = clock.current
                        x[n] = 127 - UInt16((w >> 1) & 0x7F)
                        y[n] = 127 - UInt16((w >> 8) & 0x7F)
                        p[n] = w & 1 == 0 ? 1 : 0
                        n += 1
                    }
                }
            }
            return n
        }
    }
}
