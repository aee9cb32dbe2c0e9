/// What can go wrong with a camera, specific enough to act on.
public enum CameraError: Error, CustomStringConvertible {
    /// No camera (or none with the wanted serial) could be opened; `found` lists what is attached.
    case noCamera(wantedSerial: String?, found: [CameraInfo])
    /// The camera is attached but this user may not open it.
    case permissionDenied(CameraInfo)
    /// Another program holds the camera.
    case busy(CameraInfo)
    /// The camera's firmware or FPGA logic is older than the driver supports.
    case versionTooOld(CameraInfo, part: String, found: Int, minimum: Int)
    /// The camera is recognised but not supported by this driver.
    case unsupported(CameraInfo, reason: String)
    /// The camera answered a request with something unexpected.
    case badReply(what: String, expected: String, found: String)
    /// The camera vanished while streaming (unplugged, or its USB link failed). Events received before are delivered.
    case deviceGone(camera: String, eventsDelivered: Int, cause: USBError)
    /// A USB request failed.
    case usb(USBError)

    /// How to install the udev rule shipped with ottt.
    public static let udevAdvice = "install the udev rule: sudo cp tools/65-inivation.rules /etc/udev/rules.d/ "
        + "&& sudo udevadm control --reload-rules && sudo udevadm trigger, then replug the camera "
        + "(in Docker also pass --privileged -v /dev/bus/usb:/dev/bus/usb)"

    public var description: String {
        switch self {
        case let .noCamera(wanted, found):
            let which = wanted.map { "with serial (or bus:address) \($0)" } ?? "(DVS128, DAVIS or DVXplorer, USB vendor 152a)"
            if found.isEmpty { return "no camera \(which) is attached" }
            return "no camera \(which) could be opened; attached: " + found.map(\.description).joined(separator: "; ")
        case let .permissionDenied(info):
            return "permission denied opening \(info): \(CameraError.udevAdvice)"
        case let .busy(info):
            return "\(info) is in use by another program"
        case let .versionTooOld(info, part, found, minimum):
            return "\(info) has \(part) version \(found), ottt needs at least \(minimum): update it with iniVation's flashy tool"
        case let .unsupported(info, reason):
            return "\(info) is not supported: \(reason)"
        case let .badReply(what, expected, found):
            return "camera sent a bad reply to \(what): expected \(expected), found \(found)"
        case let .deviceGone(camera, delivered, cause):
            return "camera \(camera) disconnected after \(delivered) events (\(cause.name)): check the cable and replug"
        case let .usb(error):
            return error.description
        }
    }
}
