import DVSEvents

/// DVXplorer and DVXplorer Lite (FX3): the FPGA of the DAVIS plus a Samsung sensor configured through 16-bit
/// registers (module 5, wIndex = register, 8-bit values), bias presets, and 16-bit words carrying 8-pixel groups.
/// Facts: docs/USB.md §3–5, libcaer's dvxplorer.c. The DVXplorer Mini (CX3 bridge, 32-bit words) is not supported.
struct DVXplorerDriver: FamilyDriver {
    static func model(chipID: Int) -> String {
        switch chipID {
        case 19: "DVXplorer Lite"
        case 20: "DVXplorer"
        default: "DVXplorer (chip \(chipID))"
        }
    }

    /// libcaer's five bias presets; each sets the ON and OFF thresholds (registers 0x001C, 0x001E).
    enum BiasPreset: String, CaseIterable, Sendable {
        case veryLow, low, `default`, high, veryHigh

        /// (register, value) pairs in the order they are written.
        var registers: [(UInt16, UInt32)] {
            let (on, off): (UInt32, UInt32) = switch self {
            case .veryLow: (6, 2)
            case .low: (3, 5)
            case .default: (0, 8)
            case .high: (5, 3)
            case .veryHigh: (2, 6)
            }
            let high = self == .high || self == .veryHigh
            return [(0x0018, 0x04), (0x000C, 0x14), (0x000B, high ? 0x04 : 0x06), (0x0012, high ? 0x7F : 0x7D),
                    (0x001C, on), (0x001E, off)]
        }
    }

    var preset: BiasPreset = .default
    /// SYSINFO chip identifier (6/1): 20 DVXplorer, 19 DVXplorer Lite.
    var chipID = 20

    /// The sensor's start-up registers around the bias preset (libcaer's open sequence).
    static let biasEnable: [(UInt16, UInt32)] = [
        (0x000D, 0x24), (0x000F, 0x07), (0x0010, 0xFF), (0x0013, 0x03), (0x0014, 0x7F), (0x0015, 0x00),
    ]
    /// System and digital settings, in the 2024 libcaer's order: clock divider, parallel output, MGROUP packets,
    /// R/AY signals, boot sequence, a 1 ms timestamp reference unit (999 = 0x03E7), the fine counts of the 50 MHz
    /// system clock (sub-unit 49, DTAG reference and GH/GRS fine counts 50), spatial histogram off.
    static let systemSettings: [(UInt16, UInt32)] = [
        (0x3011, 0xA0), (0x3019, 0x00), (0x301E, 0x01), (0x3067, 0x80), (0x3255, 0x0C), (0x3266, 0x08),
        (0x3235, 0x03), (0x3236, 0xE7), (0x3234, 49), (0x323D, 50), (0x3243, 50), (0x3247, 50), (0x3259, 50),
        (0x3600, 0x01),
    ]
    static let timestampReset: UInt16 = 0x3238
    static let sensorMode: UInt16 = 0x3000

    func configure(_ control: ControlChannel) throws -> SensorGeometry {
        let geometry = try readGeometry(control)
        try control.writeConfig(.muxRunChip, 1)
        control.pause(milliseconds: 10)
        for (r, v) in Self.biasEnable + preset.registers + Self.systemSettings { try control.writeConfig(.chip(r), v) }
        try control.writeConfig(.muxDropExtInputOnStall, 1)
        try control.writeConfig(.muxDropDVSOnStall, 0)
        try setEarlyPacketDelay(control)
        try sendReadoutConfiguration(control, geometry: geometry)
        return geometry
    }

    func startBeforeTransfers(_ control: ControlChannel) throws {
        for r in [ConfigRegister.dvsRun, .imuRunAccelerometer, .imuRunGyroscope, .imuRunTemperature,
                  .extInputRunDetector, .muxRun, .muxTimestampRun, .usbRun] {
            try control.writeConfig(r, 0)
        }
        control.pause(milliseconds: 10)
    }

    func startAfterTransfers(_ control: ControlChannel) throws {
        try control.writeConfig(.usbRun, 1)
        try control.writeConfig(.muxTimestampRun, 1)
        try control.writeConfig(.muxRun, 1)
        control.pause(milliseconds: 50)
        try control.writeConfig(.dvsRun, 1)
        try control.writeConfig(.chip(Self.timestampReset), 1)  // the sensor's timestamps from 0 (2024 libcaer)
        try control.writeConfig(.chip(Self.timestampReset), 0)
        try control.writeConfig(.chip(Self.sensorMode), 2)  // STREAM
    }

    func stop(_ control: ControlChannel) throws {
        try control.writeConfig(.chip(Self.sensorMode), 0)
        for r in [ConfigRegister.dvsRun, .muxRun, .muxTimestampRun, .usbRun] { try control.writeConfig(r, 0) }
    }

    func resetTimestamps(_ control: ControlChannel) throws { try pulseTimestampReset(control) }

    func close(_ control: ControlChannel) throws {
        try control.writeConfig(.muxRunChip, 0)
    }

    func makeDecoder(_ geometry: SensorGeometry) -> any EventWordDecoder { DVXplorerDecoder(geometry: geometry) }
}

/// Decodes DVXplorer words: 16-bit little-endian. Bit 15 set: a timestamp as for the DAVIS. Otherwise code =
/// bits 12–14, data = bits 0–11: 0 special (1 = timestamp reset), 1 column X (bits 0–9; bit 11 start of readout),
/// 4 the two row groups (G1 = 8·bits 0–5, G2 = G1 ± 8·bits 6–10, minus when bit 11), 3 an 8-pixel mask for rows
/// G1…G1+7, 2 the mask for rows G2…G2+7 (bit 8 clear = ON), 7 wrap.
public struct DVXplorerDecoder: EventWordDecoder {
    public let geometry: SensorGeometry
    public private(set) var clock = TimestampClock()
    public private(set) var invalidWords = 0
    private var lastX = 0
    private var group1 = 0
    private var group2 = 0
    private var words = WordSplitter(size: 2)

    public init(geometry: SensorGeometry) { self.geometry = geometry }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into out: EventBuffer) {
        // State in locals while the loop runs: no access through `self` or the buffer object per word.
        var splitter = words, clock = self.clock, invalid = invalidWords
        var lastX = self.lastX, group1 = self.group1, group2 = self.group2
        defer {
            words = splitter; self.clock = clock; invalidWords = invalid
            self.lastX = lastX; self.group1 = group1; self.group2 = group2
        }
        let geometry = self.geometry
        out.appendUnsafe(maxCount: 8 * (bytes.count / 2 + 1)) { t, x, y, p in  // up to 8 events per word
            var n = 0
            splitter.forEachWord(in: bytes) { w in
                if clock.consumeFPGAWord(w) { return }
                let data = Int(w & 0xFFF)
                switch (w >> 12) & 7 {
                case 1:
                    let column = data & 0x3FF
                    if column < geometry.rawWidth { lastX = column } else { invalid += 1 }
                case 2, 3:
                    let base = (w >> 12) & 7 == 3 ? group1 : group2
                    let polarity: UInt8 = data & 0x100 == 0 ? 1 : 0
                    for i in 0..<8 where data & (1 << i) != 0 {
                        guard base + i < geometry.rawHeight else { invalid += 1; continue }
                        (x[n], y[n]) = geometry.map(x: lastX, y: base + i)
                        t[n] = clock.current
                        p[n] = polarity
                        n += 1
                    }
                case 4:
                    let g1 = data & 0x3F
                    let offset = (data >> 6) & 0x1F
                    let g2 = data & 0x800 != 0 ? g1 - offset : g1 + offset
                    guard 8 * g1 < geometry.rawHeight, g2 >= 0, 8 * g2 < geometry.rawHeight else {
                        invalid += 1
                        return
                    }
                    group1 = 8 * g1
                    group2 = 8 * g2
                default:
                    break  // IMU bytes and other misc data: not events
                }
            }
            return n
        }
    }
}
