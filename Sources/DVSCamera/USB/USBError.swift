internal import CLibUSB

/// A libusb failure: which call failed and libusb's error code.
///
/// The code is libusb's own (`LIBUSB_ERROR_*`, all negative); the static members name the ones callers act on.
public struct USBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libusb's error code (`LIBUSB_ERROR_*`).
    public let code: Int32
    /// The operation that failed, in words: "open", "control transfer 0xBF to module 6 param 0".
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    public static let io = Int32(LIBUSB_ERROR_IO.rawValue)
    public static let invalidParameter = Int32(LIBUSB_ERROR_INVALID_PARAM.rawValue)
    public static let access = Int32(LIBUSB_ERROR_ACCESS.rawValue)
    public static let noDevice = Int32(LIBUSB_ERROR_NO_DEVICE.rawValue)
    public static let notFound = Int32(LIBUSB_ERROR_NOT_FOUND.rawValue)
    public static let busy = Int32(LIBUSB_ERROR_BUSY.rawValue)
    public static let timeout = Int32(LIBUSB_ERROR_TIMEOUT.rawValue)
    public static let pipe = Int32(LIBUSB_ERROR_PIPE.rawValue)

    /// Whether the device is gone (unplugged) rather than misbehaving.
    public var isDeviceGone: Bool { code == USBError.noDevice }

    /// libusb's name of the code, e.g. `LIBUSB_ERROR_ACCESS`.
    public var name: String { String(cString: libusb_error_name(code)) }

    public var description: String {
        let hint: String
        switch code {
        case USBError.access: hint = " (permission denied: install tools/65-inivation.rules into /etc/udev/rules.d and replug)"
        case USBError.busy: hint = " (another program holds the camera)"
        case USBError.noDevice: hint = " (the device is gone: unplugged?)"
        default: hint = ""
        }
        return "USB \(operation) failed: \(name)\(hint)"
    }
}

/// Throws a `USBError` for a negative libusb return code; returns non-negative codes (counts, lengths).
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(USBError) -> Int32 {
    guard result >= 0 else { throw USBError(code: result, operation: operation()) }
    return result
}
