/// libcaer's default configuration of a DAVIS, sent once at open before the data start ("No configuration is sent
/// automatically", docs/USB.md §7): every bias generator of the chip, the chip's shift register, then the FPGA's
/// DVS settings with its optional filters off and the whole array read out. APS frames, the IMU and the external
/// input are not used by ottt: their run bits are cleared at data start and never set.
///
/// Sources: libcaer's `davisSendDefaultChipConfig` and `davisSendDefaultFPGAConfig` (ros-event-camera/libcaer,
/// src/davis.c) for the values and their order; register addresses of FPGA logic 18 as neuromorphic-drivers uses
/// them (drivers/src/devices/inivation_davis346.rs), which agree with libcaer's DAVIS128_CONFIG_* names.
/// Deliberate differences from libcaer: the FPGA keeps DVS events when the USB transfer stalls (MUX 0/5 = 0, so that
/// the host's `--when-behind` policy is the only place events are dropped, and counted), and its background-activity
/// filter is off (ottt filters on the host where asked). The DAVIS208's four extra biases are not sent; the DAVIS RGB
/// (chip 7, also called DAVIS640H) has a table of its own and is refused at open.
extension DAVISDriver {
    /// The FPGA's optional DVS features (read-only flags) and whether the APS has a global shutter.
    struct Features: Equatable {
        var pixelFilter = false
        var backgroundActivityFilter = false
        var regionOfInterest = false
        var skipFilter = false
        var polarityFilter = false
        var globalShutter = false

        static func read(_ control: ControlChannel) throws -> Features {
            Features(pixelFilter: try control.readConfig(.dvsHasPixelFilter) != 0,
                     backgroundActivityFilter: try control.readConfig(.dvsHasBackgroundActivityFilter) != 0,
                     regionOfInterest: try control.readConfig(.dvsHasROIFilter) != 0,
                     skipFilter: try control.readConfig(.dvsHasSkipFilter) != 0,
                     polarityFilter: try control.readConfig(.dvsHasPolarityFilter) != 0,
                     globalShutter: try control.readConfig(.apsHasGlobalShutter) != 0)
        }
    }

    /// A voltage DAC bias: bits 0–5 voltage, bits 6–8 current.
    static func vdac(voltage: UInt32, current: UInt32) -> UInt32 {
        precondition(voltage < 64 && current < 8, "VDAC bias out of range: voltage \(voltage), current \(current)")
        return voltage | current << 6
    }

    /// A shifted-source bias in libcaer's default mode (shifted source, split gate): bits 4–9 ref, bits 10–15 reg.
    static func shiftedSource(ref: UInt32, reg: UInt32) -> UInt32 {
        precondition(ref < 64 && reg < 64, "shifted-source bias out of range: ref \(ref), reg \(reg)")
        return ref << 4 | reg << 10
    }

    /// libcaer's default biases, (module 5 address, value), in its order. The DAVIS240's old generator has 22
    /// branches at 0…21; the others (DAVIS128/208/346/640) share the 37-branch generator's addresses.
    var biases: [(address: UInt16, value: UInt32)] {
        let n = { (c: UInt32, f: UInt32) in DAVISDriver.coarseFine(coarse: c, fine: f, nType: true) }
        let p = { (c: UInt32, f: UInt32) in DAVISDriver.coarseFine(coarse: c, fine: f, nType: false) }
        let cascodeN = { (c: UInt32, f: UInt32) in DAVISDriver.coarseFine(coarse: c, fine: f, nType: true, cascode: true) }
        let ss = DAVISDriver.shiftedSource(ref: 1, reg: 33)
        if isDAVIS240 {
            return [
                (0, n(4, 39)), (1, n(5, 255)), (2, n(4, 0)), (3, cascodeN(5, 185)), (4, cascodeN(5, 115)),
                (5, n(6, 219)), (6, n(5, 164)), (7, n(5, 129)), (8, p(2, 58)), (9, p(1, 33)), (10, p(4, 25)),
                (11, n(6, 91)), (12, n(5, 49)), (13, p(4, 80)), (14, p(7, 152)), (15, n(5, 255)), (16, n(5, 255)),
                (17, n(7, 215)), (18, n(6, 253)), (19, n(5, 254)), (20, ss), (21, ss),
            ]
        }
        let vdac = DAVISDriver.vdac
        var list: [(address: UInt16, value: UInt32)] = [
            (0, vdac(27, 6)), (1, vdac(21, 6)), (2, vdac(30, 7)), (3, vdac(1, 7)),  // APS overflow, cascode, ADC refs
        ]
        if hasADCTest { list.append((4, vdac(21, 7))) }                                // ADC test voltage
        let isDAVIS640 = chipID == 6
        list += [
            (8, n(5, 164)), (9, n(7, 215)), (10, n(4, 39)), (11, n(5, 255)), (12, n(4, 1)), (13, n(5, 129)),
            (14, isDAVIS640 ? p(2, 3) : p(2, 58)), (15, isDAVIS640 ? p(1, 1) : p(1, 16)),  // the 640 slows its pixels
            (16, p(4, 25)), (17, p(6, 20)), (18, n(6, 219)), (19, p(5, 20)), (20, n(0, 1)), (21, p(6, 60)),
            (22, n(5, 49)), (23, n(6, 91)), (24, p(4, 80)), (25, p(7, 152)), (26, n(5, 255)), (27, n(5, 255)),
            (34, n(5, 254)), (35, ss), (36, ss),
        ]
        return list
    }

    /// Whether the chip has the ADC test input (DAVIS346 and DAVIS640).
    var hasADCTest: Bool { [4, 5, 9, 6].contains(chipID) }

    /// The chip's shift register (module 5 from address 128): multiplexers to 0, calibration neuron and test pixel
    /// in reset, nArow AER, no analog output, the on-chip gray counter, the ADC reading pixels.
    var chipRegisters: [(address: UInt16, value: UInt32)] {
        var list: [(address: UInt16, value: UInt32)] = (128...135).map { ($0, 0) }  // digital 0–3, analog 0–2, bias mux
        list += [(136, 1), (137, 0), (138, 1), (140, 0), (141, 0)]
        if chipID == 0 || chipID == 1 { list.append((139, 0)) }                     // DAVIS240A/B special pixels
        list.append((143, 1))                                                        // select the on-chip gray counter
        if hasADCTest { list.append((144, 0)) }
        return list
    }

    /// Sends the default configuration: biases, chip register, DVS settings and filters.
    func sendDefaultConfiguration(_ control: ControlChannel, geometry: SensorGeometry) throws {
        let features = try Features.read(control)
        for (address, value) in biases + chipRegisters { try control.writeConfig(.chip(address), value) }
        if features.globalShutter {
            // libcaer keeps the chip's and the APS's global-shutter flags equal.
            try control.writeConfig(.chip(142), 1)
            try control.writeConfig(.apsGlobalShutter, 1)
        }
        try control.writeConfig(.muxDropExtInputOnStall, 1)
        try control.writeConfig(.muxDropDVSOnStall, 0)
        try control.writeConfig(.dvsWaitOnStall, 0)
        try control.writeConfig(.dvsExternalAERControl, 0)
        let (width, height) = (UInt32(geometry.sensor.width), UInt32(geometry.sensor.height))
        if features.pixelFilter {
            // Eight pixels to mask; a pixel outside the array masks nothing.
            for i in 0..<UInt16(8) {
                try control.writeConfig(ConfigRegister(1, 11 + 2 * i), height)
                try control.writeConfig(ConfigRegister(1, 12 + 2 * i), width)
            }
        }
        if features.backgroundActivityFilter {
            try control.writeConfig(ConfigRegister(1, 31), 0)  // background activity off
            try control.writeConfig(ConfigRegister(1, 33), 0)  // refractory period off
        }
        if features.regionOfInterest {
            for (parameter, value) in [(41, 0), (42, 0), (43, width - 1), (44, height - 1)] as [(UInt16, UInt32)] {
                try control.writeConfig(ConfigRegister(1, parameter), value)
            }
        }
        if features.skipFilter { try control.writeConfig(ConfigRegister(1, 51), 0) }
        if features.polarityFilter {
            try control.writeConfig(ConfigRegister(1, 61), 0)  // flatten off
            try control.writeConfig(ConfigRegister(1, 62), 0)  // suppress off
        }
    }
}

extension ConfigRegister {
    static let dvsWaitOnStall = ConfigRegister(1, 4)
    static let dvsExternalAERControl = ConfigRegister(1, 5)
    static let dvsHasPixelFilter = ConfigRegister(1, 10)
    static let dvsHasBackgroundActivityFilter = ConfigRegister(1, 30)
    static let dvsHasROIFilter = ConfigRegister(1, 40)
    static let dvsHasSkipFilter = ConfigRegister(1, 50)
    static let dvsHasPolarityFilter = ConfigRegister(1, 60)
    static let apsHasGlobalShutter = ConfigRegister(2, 6)
    static let apsGlobalShutter = ConfigRegister(2, 7)
}
