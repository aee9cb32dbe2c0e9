/// A camera found on the bus: what `ottt devices` lists.
public struct CameraInfo: Sendable, Hashable, CustomStringConvertible {
    /// Whether the camera can be opened, and if not why.
    public enum Status: Sendable, Hashable {
        case ready
        /// The device node is not writable by this user: the udev rule is missing.
        case accessDenied
        /// Another program has it open.
        case busy
        case firmwareTooOld(minimum: Int)
        case logicTooOld(found: Int, patch: Int, minimum: Int, minimumPatch: Int)
        /// Something else failed while asking the camera who it is.
        case failed(String)
    }

    public var family: CameraFamily
    /// The sensor when known ("DAVIS346B", "DVXplorer Lite"), else the family name.
    public var model: String
    /// The USB serial number (up to 8 characters); nil when the device could not be opened.
    public var serial: String?
    /// `bcdDevice & 0xFF`.
    public var firmwareVersion: Int
    /// The FPGA logic version (SYSINFO 6/0); nil for the DVS128 or when unreadable.
    public var logicVersion: Int?
    public var busNumber: Int
    public var address: Int
    /// Port numbers from the root hub.
    public var ports: [Int]
    public var status: Status

    public init(family: CameraFamily, model: String, serial: String?, firmwareVersion: Int, logicVersion: Int?,
                busNumber: Int, address: Int, ports: [Int], status: Status) {
        self.family = family
        self.model = model
        self.serial = serial
        self.firmwareVersion = firmwareVersion
        self.logicVersion = logicVersion
        self.busNumber = busNumber
        self.address = address
        self.ports = ports
        self.status = status
    }

    /// Where it is plugged, in the kernel's notation: "1-1.4" (bus 1, port 1, then port 4 of a hub).
    public var portPath: String {
        ports.isEmpty ? "\(busNumber)" : "\(busNumber)-" + ports.map(String.init).joined(separator: ".")
    }

    /// Whether `wanted` names this camera: its serial number, or "bus:address" as `ottt devices` prints it.
    public func matches(_ wanted: String) -> Bool {
        serial == wanted || wanted == "\(busNumber):\(address)"
    }

    public var description: String {
        "\(model) serial \(serial ?? "?") at bus \(busNumber) address \(address) (port \(portPath))"
    }
}
