import Foundation

/// The vendor control requests a camera driver sends: what the USB device handle offers, and what a test can
/// record. Families talk to their camera only through this.
protocol ControlChannel: AnyObject {
    /// A vendor request to the device (bmRequestType 0x40) with `data` as its data stage.
    func vendorOut(request: UInt8, value: UInt16, index: UInt16, data: [UInt8]) throws
    /// A vendor request from the device (bmRequestType 0xC0) returning up to `length` bytes.
    func vendorIn(request: UInt8, value: UInt16, index: UInt16, length: Int) throws -> [UInt8]
    /// Waits on the camera (bias settling, chip start-up).
    func pause(milliseconds: Int)
}

extension ControlChannel {
    func pause(milliseconds: Int) { Thread.sleep(forTimeInterval: Double(milliseconds) / 1000) }

    /// Writes a DAVIS/DVXplorer configuration register: request 0xBF, wValue = module, wIndex = parameter,
    /// 4 bytes big-endian.
    func writeConfig(_ register: ConfigRegister, _ value: UInt32) throws {
        try vendorOut(request: ConfigRegister.request, value: UInt16(register.module), index: register.parameter,
                      data: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
                             UInt8(value & 0xFF)])
    }

    /// Reads a DAVIS/DVXplorer configuration register (4 bytes big-endian).
    func readConfig(_ register: ConfigRegister) throws -> UInt32 {
        let bytes = try vendorIn(request: ConfigRegister.request, value: UInt16(register.module),
                                 index: register.parameter, length: 4)
        guard bytes.count == 4 else {
            throw CameraError.badReply(what: "config register \(register)", expected: "4 bytes", found: "\(bytes.count) bytes")
        }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// A configuration register of the FPGA (DAVIS, DVXplorer): a module and a parameter address.
struct ConfigRegister: Hashable, Sendable, CustomStringConvertible {
    static let request: UInt8 = 0xBF
    var module: UInt8
    var parameter: UInt16

    init(_ module: UInt8, _ parameter: UInt16) {
        self.module = module
        self.parameter = parameter
    }

    var description: String { "\(module)/\(parameter)" }

    // Module 0: the multiplexer.
    static let muxRun = ConfigRegister(0, 0)
    static let muxTimestampRun = ConfigRegister(0, 1)
    static let muxTimestampReset = ConfigRegister(0, 2)
    static let muxRunChip = ConfigRegister(0, 3)
    static let muxDropExtInputOnStall = ConfigRegister(0, 4)
    static let muxDropDVSOnStall = ConfigRegister(0, 5)
    // Module 1: the DVS.
    static let dvsColumns = ConfigRegister(1, 0)
    static let dvsRows = ConfigRegister(1, 1)
    static let dvsOrientation = ConfigRegister(1, 2)
    static let dvsRun = ConfigRegister(1, 3)
    // Module 2: APS (DAVIS only).
    static let apsRun = ConfigRegister(2, 4)
    // Module 3: IMU.
    static let imuRunAccelerometer = ConfigRegister(3, 2)
    static let imuRunGyroscope = ConfigRegister(3, 3)
    static let imuRunTemperature = ConfigRegister(3, 4)
    // Module 4: external input.
    static let extInputRunDetector = ConfigRegister(4, 0)
    // Module 6: system information (read-only).
    static let logicVersion = ConfigRegister(6, 0)
    static let chipIdentifier = ConfigRegister(6, 1)
    static let deviceIsMaster = ConfigRegister(6, 2)
    static let usbClock = ConfigRegister(6, 5)
    static let clockDeviation = ConfigRegister(6, 6)
    static let logicPatch = ConfigRegister(6, 7)
    // Module 9: USB.
    static let usbRun = ConfigRegister(9, 0)
    static let usbEarlyPacketDelay = ConfigRegister(9, 1)

    /// Module 5: a bias or chip register (DAVIS), or a 16-bit sensor register (DVXplorer).
    static func chip(_ address: UInt16) -> ConfigRegister { ConfigRegister(5, address) }
}

/// A control channel that reports every request before sending it (for logs, and so that an emulated test that
/// stalls says which request the emulation did not expect).
final class TracingControlChannel: ControlChannel {
    let inner: ControlChannel
    let trace: @Sendable (String) -> Void

    init(_ inner: ControlChannel, trace: @escaping @Sendable (String) -> Void) {
        self.inner = inner
        self.trace = trace
    }

    func vendorOut(request: UInt8, value: UInt16, index: UInt16, data: [UInt8]) throws {
        trace("OUT 0x\(String(request, radix: 16)) wValue \(value) wIndex 0x\(String(index, radix: 16)) data \(data)")
        try inner.vendorOut(request: request, value: value, index: index, data: data)
    }

    func vendorIn(request: UInt8, value: UInt16, index: UInt16, length: Int) throws -> [UInt8] {
        trace("IN 0x\(String(request, radix: 16)) wValue \(value) wIndex 0x\(String(index, radix: 16)) length \(length)")
        return try inner.vendorIn(request: request, value: value, index: index, length: length)
    }

    func pause(milliseconds: Int) { inner.pause(milliseconds: milliseconds) }
}
