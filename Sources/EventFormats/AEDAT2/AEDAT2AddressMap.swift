import DVSEvents

/// How one DVS128 address becomes (x, y, p) under a convention (docs/FORMATS.md §1.1, §2). Raw fields: bit 0
/// polarity, bits 7–1 x, bits 14–8 y. A generic parameter of the decode loop, so each convention compiles to its
/// own loop.
protocol DVS128AddressMap {
    static func map(_ address: UInt32) -> (x: UInt16, y: UInt16, p: UInt8)
}

enum DVS128RawMap: DVS128AddressMap {
    @inline(__always)
    static func map(_ a: UInt32) -> (x: UInt16, y: UInt16, p: UInt8) {
        (UInt16(truncatingIfNeeded: (a >> 1) & 0x7F), UInt16(truncatingIfNeeded: (a >> 8) & 0x7F),
         UInt8(truncatingIfNeeded: a & 1))
    }
}

/// jAER's extractor (and the OTTT code's loader): x = 127 − raw_x, y = raw_y, ON when raw bit 0 is 0.
enum DVS128JAERMap: DVS128AddressMap {
    @inline(__always)
    static func map(_ a: UInt32) -> (x: UInt16, y: UInt16, p: UInt8) {
        (UInt16(truncatingIfNeeded: 127 &- ((a >> 1) & 0x7F)), UInt16(truncatingIfNeeded: (a >> 8) & 0x7F),
         UInt8(truncatingIfNeeded: (a & 1) ^ 1))
    }
}

/// SpikingJelly since 2021: x = 127 − raw_y, y = 127 − raw_x, ON when raw bit 0 is 0.
enum DVS128SpikingJellyMap: DVS128AddressMap {
    @inline(__always)
    static func map(_ a: UInt32) -> (x: UInt16, y: UInt16, p: UInt8) {
        (UInt16(truncatingIfNeeded: 127 &- ((a >> 8) & 0x7F)), UInt16(truncatingIfNeeded: 127 &- ((a >> 1) & 0x7F)),
         UInt8(truncatingIfNeeded: (a & 1) ^ 1))
    }
}

extension DVS128Convention {
    /// The inverse of the convention's map: the raw address of an event (for the DVS128 writer).
    func address(x: UInt16, y: UInt16, on: Bool) -> UInt32 {
        let (rx, ry, rp): (UInt32, UInt32, UInt32)
        switch self {
        case .raw: (rx, ry, rp) = (UInt32(x), UInt32(y), on ? 1 : 0)
        case .jAER, .ottt: (rx, ry, rp) = (127 - UInt32(x), UInt32(y), on ? 0 : 1)
        case .spikingJelly2021: (rx, ry, rp) = (127 - UInt32(y), 127 - UInt32(x), on ? 0 : 1)
        }
        return (ry << 8) | (rx << 1) | rp
    }

    /// Where the origin lies and which way polarity points, for `ottt info`.
    var summary: String {
        switch self {
        case .jAER: "jAER (x = 127 − raw_x, y = raw_y, ON = raw bit 0 clear; origin bottom-left)"
        case .ottt: "OTTT (as jAER: x = 127 − raw_x, y = raw_y, ON = raw bit 0 clear)"
        case .spikingJelly2021: "SpikingJelly 2021 (x = 127 − raw_y, y = 127 − raw_x, ON = raw bit 0 clear)"
        case .raw: "raw (x = raw_x, y = raw_y, ON = raw bit 0 set)"
        }
    }
}

/// The DAVIS address layout of AEDAT 2.0 (docs/FORMATS.md §1.1): bit 31 type (1 = APS/IMU), y bits 30–22,
/// x bits 21–12, polarity bit 11 (1 = ON), external-event flag bit 10; APS subtype bits 11–10 (3 = IMU).
enum DAVISAddress {
    static let apsOrIMU: UInt32 = 1 << 31
    static let external: UInt32 = 1 << 10
    @inline(__always) static func x(_ a: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: (a >> 12) & 0x3FF) }
    @inline(__always) static func y(_ a: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: (a >> 22) & 0x1FF) }
    @inline(__always) static func p(_ a: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: (a >> 11) & 1) }
    @inline(__always) static func isIMU(_ a: UInt32) -> Bool { (a >> 10) & 3 == 3 }

    /// The sensor of a DAVIS chip named in `# AEChip:` (by its pixel count in the class name).
    static func sensor(chip: String?) -> SensorSize? {
        let name = (chip ?? "").lowercased()
        if name.contains("346") { return .davis346 }
        if name.contains("240") { return .davis240 }
        if name.contains("208") { return SensorSize(width: 208, height: 192) }
        if name.contains("640") { return SensorSize(width: 640, height: 480) }
        if name.contains("128") { return .dvs128 }
        return nil
    }
}
