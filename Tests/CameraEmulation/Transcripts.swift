/// What each emulated camera family answers and expects, written out by hand from docs/USB.md (not derived from
/// the driver's tables, so that a wrong request in the driver fails the replay).
public enum Transcripts {
    public static let dvs128Endpoint: UInt8 = 0x86
    public static let fpgaEndpoint: UInt8 = 0x82

    /// Discovery: the serial number string, and for FPGA cameras logic version 6/0, patch 6/7, chip ID 6/1.
    public static func discovery(_ c: inout UsbmonCapture, serial: String, logic: UInt32? = nil, patch: UInt32 = 2,
                          chip: UInt32 = 0) {
        c.stringDescriptor(index: 3, serial)
        guard let logic else { return }
        c.readConfig(6, 0, reply: logic)
        c.readConfig(6, 7, reply: patch)
        c.readConfig(6, 1, reply: chip)
    }

    /// DVS128 open: the 36-byte "Fast" bias blob (12 × 24-bit big-endian).
    public static func dvs128Open(_ c: inout UsbmonCapture) {
        c.controlOut(0xB8, value: 0, index: 0, data: [
            0x00, 0x07, 0xC8, 0x10, 0xE9, 0x8C, 0xFF, 0xFF, 0xFF, 0x7C, 0x7F, 0xF5, 0x00, 0x00, 0x84, 0x04, 0xB9, 0x56,
            0x00, 0x03, 0xC9, 0xFF, 0xFF, 0xFF, 0x03, 0x34, 0x4C, 0x00, 0x33, 0x45, 0x00, 0x01, 0x0F, 0x00, 0x00, 0xD9,
        ])
    }

    /// DVS128 start: 8 × 4 KiB bulk IN on 0x86, then 0xB3. Returns the URBs in flight.
    public static func dvs128Start(_ c: inout UsbmonCapture) -> [UInt64] {
        let urbs = (0..<8).map { _ in c.submitBulk(endpoint: dvs128Endpoint, length: 4096) }
        c.controlOut(0xB3, value: 0, index: 0)
        return urbs
    }

    public static func dvs128Stop(_ c: inout UsbmonCapture) {
        c.controlOut(0xB4, value: 0, index: 0)
    }

    /// DAVIS346 open: size 346×260, orientation 0; the FPGA has the background-activity and ROI filters and the APS
    /// a global shutter; libcaer's default biases and chip register, the DVS settings with those filters off and
    /// the ROI the whole array; USB clock 80 MHz × 1.000 → early packet delay 80 000 cycles (1 ms).
    public static func davis346Open(_ c: inout UsbmonCapture) {
        c.readConfig(1, 0, reply: 346)
        c.readConfig(1, 1, reply: 260)
        c.readConfig(1, 2, reply: 0)
        davisFeatures(&c, backgroundActivity: true, regionOfInterest: true, globalShutter: true)
        c.writeConfig(5, 0, 0x019B)   // APSOVERFLOWLEVEL VDAC(27, 6)
        c.writeConfig(5, 1, 0x0195)   // APSCAS VDAC(21, 6)
        c.writeConfig(5, 2, 0x01DE)   // ADCREFHIGH VDAC(30, 7)
        c.writeConfig(5, 3, 0x01C1)   // ADCREFLOW VDAC(1, 7)
        c.writeConfig(5, 4, 0x01D5)   // ADCTESTVOLTAGE VDAC(21, 7)
        c.writeConfig(5, 8, 0x5A4F)   // LOCALBUFBN N(5, 164)
        c.writeConfig(5, 9, 0x7D7F)   // PADFOLLBN N(7, 215)
        c.writeConfig(5, 10, 0x427F)  // DIFFBN N(4, 39)
        c.writeConfig(5, 11, 0x5FFF)  // ONBN N(5, 255)
        c.writeConfig(5, 12, 0x401F)  // OFFBN N(4, 1)
        c.writeConfig(5, 13, 0x581F)  // PIXINVBN N(5, 129)
        c.writeConfig(5, 14, 0x23AD)  // PRBP P(2, 58)
        c.writeConfig(5, 15, 0x110D)  // PRSFBP P(1, 16)
        c.writeConfig(5, 16, 0x419D)  // REFRBP P(4, 25)
        c.writeConfig(5, 17, 0x614D)  // READOUTBUFBP P(6, 20)
        c.writeConfig(5, 18, 0x6DBF)  // APSROSFBN N(6, 219)
        c.writeConfig(5, 19, 0x514D)  // ADCCOMPBP P(5, 20)
        c.writeConfig(5, 20, 0x001F)  // COLSELLOWBN N(0, 1)
        c.writeConfig(5, 21, 0x63CD)  // DACBUFBP P(6, 60)
        c.writeConfig(5, 22, 0x531F)  // LCOLTIMEOUTBN N(5, 49)
        c.writeConfig(5, 23, 0x65BF)  // AEPDBN N(6, 91)
        c.writeConfig(5, 24, 0x450D)  // AEPUXBP P(4, 80)
        c.writeConfig(5, 25, 0x798D)  // AEPUYBP P(7, 152)
        c.writeConfig(5, 26, 0x5FFF)  // IFREFRBN N(5, 255)
        c.writeConfig(5, 27, 0x5FFF)  // IFTHRBN N(5, 255)
        c.writeConfig(5, 34, 0x5FEF)  // BIASBUFFER N(5, 254)
        c.writeConfig(5, 35, 0x8410)  // SSP shifted source ref 1, reg 33
        c.writeConfig(5, 36, 0x8410)  // SSN
        davisChipRegister(&c, specialPixels: false, testADC: true)
        c.writeConfig(5, 142, 1)      // global shutter: chip register …
        c.writeConfig(2, 7, 1)        // … and APS, kept equal
        davisDVSSettings(&c)
        c.writeConfig(1, 31, 0)       // background-activity filter off
        c.writeConfig(1, 33, 0)       // refractory-period filter off
        c.writeConfig(1, 41, 0)       // ROI: the whole 346 × 260 array
        c.writeConfig(1, 42, 0)
        c.writeConfig(1, 43, 345)
        c.writeConfig(1, 44, 259)
        c.readConfig(6, 5, reply: 80)
        c.readConfig(6, 6, reply: 1000)
        c.writeConfig(9, 1, 80_000)
    }

    /// The FPGA's feature flags: DVS pixel (1/10), background-activity (1/30), ROI (1/40), skip (1/50) and
    /// polarity (1/60) filters; APS global shutter (2/6).
    public static func davisFeatures(_ c: inout UsbmonCapture, pixel: Bool = false, backgroundActivity: Bool = false,
                                     regionOfInterest: Bool = false, skip: Bool = false, polarity: Bool = false,
                                     globalShutter: Bool = false) {
        for (p, on) in [(10, pixel), (30, backgroundActivity), (40, regionOfInterest), (50, skip), (60, polarity)]
            as [(UInt16, Bool)] {
            c.readConfig(1, p, reply: on ? 1 : 0)
        }
        c.readConfig(2, 6, reply: globalShutter ? 1 : 0)
    }

    /// The chip's shift register (libcaer's defaults): muxes 0, reset calibration neuron, type P, reset test pixel,
    /// nArow AER, no analog out, [no special pixels], on-chip gray counter, [ADC reads pixels].
    public static func davisChipRegister(_ c: inout UsbmonCapture, specialPixels: Bool, testADC: Bool) {
        for p in 128...135 { c.writeConfig(5, UInt16(p), 0) }
        c.writeConfig(5, 136, 1)
        c.writeConfig(5, 137, 0)
        c.writeConfig(5, 138, 1)
        c.writeConfig(5, 140, 0)
        c.writeConfig(5, 141, 0)
        if specialPixels { c.writeConfig(5, 139, 0) }
        c.writeConfig(5, 143, 1)
        if testADC { c.writeConfig(5, 144, 0) }
    }

    /// MUX: drop external-input events on a stall, keep DVS events; DVS: no waiting on a stall, no external AER.
    public static func davisDVSSettings(_ c: inout UsbmonCapture) {
        c.writeConfig(0, 4, 1)
        c.writeConfig(0, 5, 0)
        c.writeConfig(1, 4, 0)
        c.writeConfig(1, 5, 0)
    }

    /// DAVIS start: run bits off, 8 × 8 KiB bulk IN on 0x82, chip on, USB, timestamps, MUX, DVS on.
    public static func davisStart(_ c: inout UsbmonCapture) -> [UInt64] {
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

    public static func davisStop(_ c: inout UsbmonCapture) {
        for (m, p) in [(1, 3), (0, 0), (0, 1), (9, 0), (0, 3)] as [(UInt16, UInt16)] { c.writeConfig(m, p, 0) }
    }

    /// DVXplorer open: 640×480, chip out of reset, sensor bias enable, the default bias preset, system settings, MUX
    /// drop flags, early packet delay, the readout configuration.
    public static func dvxplorerOpen(_ c: inout UsbmonCapture) {
        c.readConfig(1, 0, reply: 640)
        c.readConfig(1, 1, reply: 480)
        c.readConfig(1, 2, reply: 0)
        c.writeConfig(0, 3, 1)
        let sensor: [(UInt16, UInt32)] = [
            (0x000D, 0x24), (0x000F, 0x07), (0x0010, 0xFF), (0x0013, 0x03), (0x0014, 0x7F), (0x0015, 0x00),
            (0x0018, 0x04), (0x000C, 0x14), (0x000B, 0x06), (0x0012, 0x7D), (0x001C, 0x00), (0x001E, 0x08),
            (0x3011, 0xA0), (0x3019, 0x00), (0x301E, 0x01), (0x3067, 0x80), (0x3255, 0x0C), (0x3266, 0x08),
            (0x3235, 0x03), (0x3236, 0xE7), (0x3234, 0x31), (0x323D, 50), (0x3243, 50), (0x3247, 50), (0x3259, 50),
            (0x3600, 0x01),
        ]
        for (r, v) in sensor { c.writeConfig(5, r, v) }
        c.writeConfig(0, 4, 1)
        c.writeConfig(0, 5, 0)
        c.readConfig(6, 5, reply: 100)    // USB clock 100 MHz × 1.000: early packet delay 100 000 cycles (1 ms)
        c.readConfig(6, 6, reply: 1000)
        c.writeConfig(9, 1, 100_000)
        dvxplorerReadout(&c, rows: 480, lastColumn: (0x02, 0x7F))
    }

    /// libcaer's readout configuration of the DVXplorer sensor (module 5, 8-bit registers), as jAER spells it out.
    public static func dvxplorerReadout(_ c: inout UsbmonCapture, rows: Int, lastColumn: (UInt32, UInt32)) {
        c.writeConfig(5, 0x3260, 0)       // external trigger: timestamp reset
        c.readConfig(5, 0x3255, reply: 0x0C)
        c.writeConfig(5, 0x3255, 0x0D)    // global hold on, global reset off
        c.writeConfig(5, 0x3248, 0)       // no global reset during readout
        c.writeConfig(5, 0x325C, 0)       // no fixed read time
        c.readConfig(5, 0x3067, reply: 0x80)
        c.writeConfig(5, 0x3067, 0x80)    // not flattened, ON and OFF
        c.readConfig(5, 0x3200, reply: 0x00)
        c.writeConfig(5, 0x3200, 0x06)    // subsampling and area blocking bypassed
        c.writeConfig(5, 0x3202, 0)       // no dual binning
        c.readConfig(5, 0x3204, reply: 0x00)
        c.writeConfig(5, 0x3204, 0x00)    // subsample ratio 1:1
        for block in 0..<20 {             // area blocking: nothing blocked
            c.writeConfig(5, UInt16(0x3205 + 2 * block), 0x7F)
            c.writeConfig(5, UInt16(0x3206 + 2 * block), 0xFF)
        }
        let timing: [(UInt16, UInt32)] = [
            (0x3240, 0), (0x3241, 0), (0x3242, 2),   // ED 2 µs
            (0x3244, 0), (0x3245, 0), (0x3246, 0),   // GH → GRS 0 µs
            (0x3256, 0), (0x3257, 0), (0x3258, 1),   // GRS 1 µs
            (0x323C, 4), (0x324C, 6), (0x324E, 4), (0x324F, 6), (0x3253, 8), (0x3254, 10),
            (0x3261, 0), (0x3262, 15), (0x3251, 10), (0x324B, 4),
            (0x325D, 0xAF), (0x325E, 0xC8),          // read time interval 45 000
        ]
        for (r, v) in timing { c.writeConfig(5, r, v) }
        let window: [(UInt16, UInt32)] = [
            (0x3300, 1), (0x3305, 0), (0x3306, 0), (0x3301, 0), (0x3302, 0xFF),
            (0x3307, lastColumn.0), (0x3308, lastColumn.1), (0x3303, UInt32((rows - 1) / 8)), (0x3304, 0xFF),
            (0x3500, 1), (0x3501, 0x01), (0x3502, 0x2C), (0x3503, 0), (0x3504, 20), (0x3505, 1), (0x3506, 3),
            (0x3513, 0x01), (0x3514, 0x2C),
        ]
        for (r, v) in window { c.writeConfig(5, r, v) }
        c.writeConfig(5, 0x3201, 0x02)    // restart the digital block
    }

    public static func dvxplorerStart(_ c: inout UsbmonCapture) -> [UInt64] {
        for (m, p) in [(1, 3), (3, 2), (3, 3), (3, 4), (4, 0), (0, 0), (0, 1), (9, 0)] as [(UInt16, UInt16)] {
            c.writeConfig(m, p, 0)
        }
        let urbs = (0..<8).map { _ in c.submitBulk(endpoint: fpgaEndpoint, length: 8192) }
        c.writeConfig(9, 0, 1)
        c.writeConfig(0, 1, 1)
        c.writeConfig(0, 0, 1)
        c.writeConfig(1, 3, 1)
        c.writeConfig(5, 0x3238, 1)       // sensor timestamp reset pulse
        c.writeConfig(5, 0x3238, 0)
        c.writeConfig(5, 0x3000, 2)
        return urbs
    }

    public static func dvxplorerStopAndClose(_ c: inout UsbmonCapture) {
        c.writeConfig(5, 0x3000, 0)
        for (m, p) in [(1, 3), (0, 0), (0, 1), (9, 0)] as [(UInt16, UInt16)] { c.writeConfig(m, p, 0) }
        c.writeConfig(0, 3, 0)
    }
}
