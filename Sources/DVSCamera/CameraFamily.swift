/// The iniVation camera families ottt drives, told apart by USB product ID (which names the USB bridge; the
/// sensor itself is read from the FPGA's chip identifier). Facts: docs/USB.md §1.
public enum CameraFamily: String, CaseIterable, Sendable, CustomStringConvertible {
    /// DVS128 on a Cypress FX2: 128×128, no FPGA.
    case dvs128
    /// DAVIS on an FX2 bridge (DAVIS240).
    case davisFX2
    /// DAVIS on an FX3 bridge (DAVIS346, DAVIS240 on newer boards).
    case davisFX3
    /// DVXplorer and DVXplorer Lite on an FX3 bridge.
    case dvxplorer

    /// iniVation's USB vendor ID.
    public static let vendorID: UInt16 = 0x152A

    public var productID: UInt16 {
        switch self {
        case .dvs128: 0x8400
        case .davisFX2: 0x841B
        case .davisFX3: 0x841A
        case .dvxplorer: 0x8419
        }
    }

    public init?(productID: UInt16) {
        guard let f = CameraFamily.allCases.first(where: { $0.productID == productID }) else { return nil }
        self = f
    }

    public var description: String {
        switch self {
        case .dvs128: "DVS128"
        case .davisFX2: "DAVIS (FX2)"
        case .davisFX3: "DAVIS (FX3)"
        case .dvxplorer: "DVXplorer"
        }
    }

    /// The bulk IN endpoint that carries events.
    var dataEndpoint: UInt8 { self == .dvs128 ? 0x86 : 0x82 }

    /// libcaer's minimum firmware version (`bcdDevice & 0xFF`).
    var minimumFirmware: Int {
        switch self {
        case .dvs128: 14
        case .davisFX2: 4
        case .davisFX3: 6
        case .dvxplorer: 8
        }
    }

    /// The FPGA logic version and patch level required (SYSINFO 6/0 and 6/7); nil for the FPGA-less DVS128.
    var minimumLogic: (version: Int, patch: Int)? {
        switch self {
        case .dvs128: nil
        case .davisFX2, .davisFX3: (18, 1)
        case .dvxplorer: (18, 2)
        }
    }

    /// libcaer's transfer sizing: 8 in flight of 4 KiB (DVS128) or 8 KiB.
    var transferSize: Int { self == .dvs128 ? 4096 : 8192 }
    var transferCount: Int { 8 }

    /// The driver that configures, starts and decodes this family.
    func driver(chipID: Int?) -> any FamilyDriver {
        switch self {
        case .dvs128: DVS128Driver()
        case .davisFX2, .davisFX3: DAVISDriver(chipID: chipID ?? 0)
        case .dvxplorer: DVXplorerDriver(chipID: chipID ?? 20)
        }
    }
}

/// What each camera family does over the control channel, and how its event words decode.
protocol FamilyDriver {
    /// Sends the default configuration (biases, chip set-up) and returns the pixel array. Runs once after opening.
    func configure(_ control: ControlChannel) throws -> SensorGeometry
    /// The data-start steps before the bulk transfers are submitted.
    func startBeforeTransfers(_ control: ControlChannel) throws
    /// The data-start steps once the bulk transfers are in flight.
    func startAfterTransfers(_ control: ControlChannel) throws
    /// Stops the data; the transfers are cancelled afterwards.
    func stop(_ control: ControlChannel) throws
    /// Asks the camera to restart its timestamp counter; it answers with a reset event in the stream.
    func resetTimestamps(_ control: ControlChannel) throws
    /// Powers down what `configure` powered up, before the device is closed.
    func close(_ control: ControlChannel) throws
    /// A fresh decoder for the words of this family.
    func makeDecoder(_ geometry: SensorGeometry) -> any EventWordDecoder
}
