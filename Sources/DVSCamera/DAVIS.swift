import DVSEvents

/// DAVIS cameras on an FX2 or FX3 bridge (DAVIS240, DAVIS346, …): an FPGA with configuration registers, the
/// DVS biases as coarse-fine words, libcaer's start order, and 16-bit event words. Facts: docs/USB.md §3–5,
/// libcaer's davis_common.h.
struct DAVISDriver: FamilyDriver {
    /// SYSINFO chip identifier (6/1).
    let chipID: Int

    /// The sensor's name from its chip identifier.
    static func model(chipID: Int) -> String {
        switch chipID {
        case 0: "DAVIS240A"
        case 1: "DAVIS240B"
        case 2: "DAVIS240C"
        case 3: "DAVIS128"
        case 4: "DAVIS346A"
        case 5: "DAVIS346B"
        case 6: "DAVIS640"
        case 7: "DAVIS640H"
        case 8: "DAVIS208"
        case 9: "DAVIS346C"
        default: "DAVIS (chip \(chipID))"
        }
    }

    var isDAVIS240: Bool { chipID <= 2 }

    /// A coarse-fine bias word: bit 0 enabled, bit 1 N-type, bit 2 normal (clear for a cascode), bit 3 normal
    /// current, bits 4–11 fine, bits 12–14 coarse.
    static func coarseFine(coarse: UInt32, fine: UInt32, nType: Bool, cascode: Bool = false) -> UInt32 {
        precondition(coarse < 8 && fine < 256, "coarse-fine bias out of range: coarse \(coarse), fine \(fine)")
        return 1 | (nType ? 2 : 0) | (cascode ? 0 : 4) | 8 | fine << 4 | coarse << 12
    }

    /// The DAVIS RGB (DAVIS640H) chip identifier: libcaer configures it with biases of its own.
    static let rgbChipID = 7

    func configure(_ control: ControlChannel) throws -> SensorGeometry {
        let geometry = try readGeometry(control)
        try sendDefaultConfiguration(control, geometry: geometry)
        try setEarlyPacketDelay(control)
        return geometry
    }

    /// All run bits off, then (after the transfers are submitted) chip on, settle, USB and timestamps on, DVS on.
    static let runBitsOff: [ConfigRegister] = [
        .dvsRun, .apsRun, .imuRunAccelerometer, .imuRunGyroscope, .imuRunTemperature, .extInputRunDetector,
        .muxRun, .muxTimestampRun, .usbRun, .muxRunChip,
    ]

    func startBeforeTransfers(_ control: ControlChannel) throws {
        for r in Self.runBitsOff { try control.writeConfig(r, 0) }
        control.pause(milliseconds: 10)
    }

    func startAfterTransfers(_ control: ControlChannel) throws {
        try control.writeConfig(.muxRunChip, 1)
        control.pause(milliseconds: 200)  // biases settle
        try control.writeConfig(.usbRun, 1)
        try control.writeConfig(.muxTimestampRun, 1)
        try control.writeConfig(.muxRun, 1)
        control.pause(milliseconds: 50)
        try control.writeConfig(.dvsRun, 1)
    }

    func stop(_ control: ControlChannel) throws {
        for r in [ConfigRegister.dvsRun, .muxRun, .muxTimestampRun, .usbRun, .muxRunChip] {
            try control.writeConfig(r, 0)
        }
    }

    func resetTimestamps(_ control: ControlChannel) throws { try pulseTimestampReset(control) }

    func close(_ control: ControlChannel) throws {}

    func makeDecoder(_ geometry: SensorGeometry) -> any EventWordDecoder { DAVISDecoder(geometry: geometry) }
}

/// MUX_TIMESTAMP_RESET 1 then 0 (DAVIS and DVXplorer). libcaer sends the two in one 0xC2 batch request; two
/// plain writes make the same pulse.
func pulseTimestampReset(_ control: ControlChannel) throws {
    try control.writeConfig(.muxTimestampReset, 1)
    try control.writeConfig(.muxTimestampReset, 0)
}

/// USB early packet delay (DAVIS and DVXplorer): a partly filled transfer is sent after 1 ms, in USB clock cycles
/// (SYSINFO 6/5 clock in MHz × 6/6 deviation factor ×1000), as libcaer's default of 8 × 125 µs.
func setEarlyPacketDelay(_ control: ControlChannel) throws {
    let clock = try control.readConfig(.usbClock)
    let deviation = try control.readConfig(.clockDeviation)
    let cycles = UInt64(clock) * UInt64(deviation == 0 ? 1000 : deviation)
    try control.writeConfig(.usbEarlyPacketDelay, UInt32(min(cycles, UInt64(UInt32.max))))
}

/// Reads the DVS array size and orientation (module 1, params 0–2) of a DAVIS or DVXplorer.
func readGeometry(_ control: ControlChannel) throws -> SensorGeometry {
    let columns = try control.readConfig(.dvsColumns)
    let rows = try control.readConfig(.dvsRows)
    let orientation = try control.readConfig(.dvsOrientation)
    guard (1...4096).contains(columns), (1...4096).contains(rows) else {
        throw CameraError.badReply(what: "DVS size (registers 1/0, 1/1)", expected: "1…4096 columns and rows",
                                   found: "\(columns)×\(rows)")
    }
    return SensorGeometry(rawWidth: Int(columns), rawHeight: Int(rows), orientation: orientation)
}

/// Decodes DAVIS words: 16-bit little-endian. Bit 15 set: a timestamp, t = wrapAdd + (w & 0x7FFF) µs.
/// Otherwise code = bits 12–14, data = bits 0–11: 0 special (1 = timestamp reset), 1 row (Y), 2 OFF event at
/// column X, 3 ON event, 4–6 APS/IMU samples (skipped), 7 wrap (wrapAdd += data × 0x8000).
public struct DAVISDecoder: EventWordDecoder {
    public let geometry: SensorGeometry
    public private(set) var clock = TimestampClock()
    public private(set) var invalidWords = 0
    private var lastY = 0
    private var words = WordSplitter(size: 2)

    public init(geometry: SensorGeometry) { self.geometry = geometry }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into out: EventBuffer) {
        // State in locals while the loop runs: no access through `self` or the buffer object per word.
        var splitter = words, clock = self.clock, lastY = self.lastY, invalid = invalidWords
        defer { words = splitter; self.clock = clock; self.lastY = lastY; invalidWords = invalid }
        let geometry = self.geometry
        out.appendUnsafe(maxCount: bytes.count / 2 + 1) { t, x, y, p in
            var n = 0
            splitter.forEachWord(in: bytes) { w in
                if clock.consumeFPGAWord(w) { return }
                let data = Int(w & 0xFFF)
                switch (w >> 12) & 7 {
                case 1:
                    if data < geometry.rawHeight { lastY = data } else { invalid += 1 }
                case 2, 3:
                    guard data < geometry.rawWidth else { invalid += 1; return }
                    (x[n], y[n]) = geometry.map(x: data, y: lastY)
                    t[n] = clock.current
                    p[n] = (w >> 12) & 7 == 3 ? 1 : 0
                    n += 1
                default:
                    break  // APS samples, IMU and exposure data: not events
                }
            }
            return n
        }
    }
}
