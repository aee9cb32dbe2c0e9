/// What each emulated camera family answers and expects, written out by hand from docs/USB.md (not derived from
/// the driver's tables, so that a wrong request in the driver fails the replay).
enum Transcripts {
    static let dvs128Endpoint: UInt8 = 0x86
    static let fpgaEndpoint: UInt8 = 0x82

    /// Discovery: the serial number string, and for FPGA cameras logic version 6/0, patch 6/7, chip ID 6/1.
    static func discovery(_ c: inout UsbmonCapture, serial: String, logic: UInt32? = nil, patch: UInt32 = 2,
                          chip: UInt32 = 0) {
        c.stringDescriptor(index: 3, serial)
        guard let logic else { return }
        c.readConfig(6, 0, reply: logic)
        c.readConfig(6, 7, reply: patch)
        c.readConfig(6, 1, reply: chip)
    }

    /// DVS128 open: the 36-byte "Fast" bias blob (12 × 24-bit big-endian).
    static func dvs128Open(_ c: inout UsbmonCapture) {
        c.controlOut(0xB8, value: 0, index: 0, data: [
            0x00, 0x07, 0xC8, 0x10, 0xE9, 0x8C, 0xFF, 0xFF, 0xFF, 0x7C, 0x7F, 0xF5, 0x00, 0x00, 0x84, 0x04, 0xB9, 0x56,
            0x00, 0x03, 0xC9, 0xFF, 0xFF, 0xFF, 0x03, 0x34, 0x4C, 0x00, 0x33, 0x45, 0x00, 0x01, 0x0F, 0x00, 0x00, 0xD9,
        ])
    }

    /// DVS128 start: 8 × 4 KiB bulk IN on 0x86, then 0xB3. Returns the URBs in flight.
    static func dvs128Start(_ c: inout UsbmonCapture) -> [UInt64] {
        let urbs = (0..<8).map { _ in c.submitBulk(endpoint: dvs128Endpoint, length: 4096) }
        c.controlOut(0xB3, value: 0, index: 0)
        return urbs
    }

    static func dvs128Stop(_ c: inout UsbmonCapture) {
        c.controlOut(0xB4, value: 0, index: 0)
    }

    /// DAVIS346 open: size 346×260, orientation 0, the six DVS biases, MUX drop flags, USB clock 80 MHz × 1.000
    /// → early packet delay 80 000 cycles (1 ms).
    static func davis346Open(_ c: inout UsbmonCapture) {
        c.readConfig(1, 0, reply: 346)
        c.readConfig(1, 1, reply: 260)
        c.readConfig(1, 2, reply: 0)
        c.writeConfig(5, 10, 0x427F)  // DIFFBN N(4, 39)
        c.writeConfig(5, 11, 0x5FFF)  // ONBN N(5, 255)
        c.writeConfig(5, 12, 0x401F)  // OFFBN N(4, 1)
        c.writeConfig(5, 14, 0x23AD)  // PRBP P(2, 58)
        c.writeConfig(5, 15, 0x110D)  // PRSFBP P(1, 16)
        c.writeConfig(5, 16, 0x419D)  // REFRBP P(4, 25)
        c.writeConfig(0, 4, 1)
        c.writeConfig(0, 5, 0)
        c.readConfig(6, 5, reply: 80)
        c.readConfig(6, 6, reply: 1000)
        c.writeConfig(9, 1, 80_000)
    }

    /// DAVIS start: run bits off, 8 × 8 KiB bulk IN on 0x82, chip on, USB, timestamps, MUX, DVS on.
    static func davisStart(_ c: inout UsbmonCapture) -> [UInt64] {
        for (m, p) in [(1, 3), (2, 4), (3, 2), (3, 3), (3, 4), (4, 0), (0, 0), (0, 1), (9, 0), (0, 3)] as [(UInt16, UInt16)] {
            c.writeConfig(m, p, 0)
        }
        let urbs = (0..<8).map { _ in c.submitBulk(endpoint: fpgaEndpoint, length: 8192) }
        c.writeConfig(0, 3, 1)
        c.writeConfig(9, 0, 1)
        c.writeConfig(0, 1, 1)
        c.writeConfig(0, 0, 1)
        c.writeConfig(1, 3, 1)
        return urbs
    }

    static func davisStop(_ c: inout UsbmonCapture) {
        for (m, p) in [(1, 3), (0, 0), (0, 1), (9, 0), (0, 3)] as [(UInt16, UInt16)] { c.writeConfig(m, p, 0) }
    }

    /// DVXplorer open: 640×480, chip out of reset, sensor bias enable, the default bias preset, system settings.
    static func dvxplorerOpen(_ c: inout UsbmonCapture) {
        c.readConfig(1, 0, reply: 640)
        c.readConfig(1, 1, reply: 480)
        c.readConfig(1, 2, reply: 0)
        c.writeConfig(0, 3, 1)
        let sensor: [(UInt16, UInt32)] = [
            (0x000D, 0x24), (0x000F, 0x07), (0x0010, 0xFF), (0x0013, 0x03), (0x0014, 0x7F), (0x0015, 0x00),
            (0x0018, 0x04), (0x000C, 0x14), (0x000B, 0x06), (0x0012, 0x7D), (0x001C, 0x00), (0x001E, 0x08),
            (0x3011, 0xA0), (0x3019, 0x00), (0x301E, 0x01), (0x3067, 0x80), (0x3234, 0x31), (0x3255, 0x0C),
            (0x3266, 0x08), (0x3243, 50), (0x3247, 50), (0x3259, 50), (0x3600, 0x01),
        ]
        for (r, v) in sensor { c.writeConfig(5, r, v) }
        c.writeConfig(0, 4, 1)
        c.writeConfig(0, 5, 0)
    }

    static func dvxplorerStart(_ c: inout UsbmonCapture) -> [UInt64] {
        for (m, p) in [(1, 3), (3, 2), (3, 3), (3, 4), (4, 0), (0, 0), (0, 1), (9, 0)] as [(UInt16, UInt16)] {
            c.writeConfig(m, p, 0)
        }
        let urbs = (0..<8).map { _ in c.submitBulk(endpoint: fpgaEndpoint, length: 8192) }
        c.writeConfig(9, 0, 1)
        c.writeConfig(0, 1, 1)
        c.writeConfig(0, 0, 1)
        c.writeConfig(1, 3, 1)
        c.writeConfig(5, 0x3000, 2)
        return urbs
    }

    static func dvxplorerStopAndClose(_ c: inout UsbmonCapture) {
        c.writeConfig(5, 0x3000, 0)
        for (m, p) in [(1, 3), (0, 0), (0, 1), (9, 0)] as [(UInt16, UInt16)] { c.writeConfig(m, p, 0) }
        c.writeConfig(0, 3, 0)
    }
}
