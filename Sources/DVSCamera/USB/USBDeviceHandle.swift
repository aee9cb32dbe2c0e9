internal import CLibUSB

/// An opened device. Releases its claimed interface and closes in `deinit`.
final class USBDeviceHandle: @unchecked Sendable {
    let raw: OpaquePointer
    let device: USBDevice
    private var claimed: [Int32] = []

    /// Milliseconds a synchronous control transfer may take before it fails with `LIBUSB_ERROR_TIMEOUT`.
    var controlTimeout: UInt32 = 1000

    init(raw: OpaquePointer, device: USBDevice) {
        self.raw = raw
        self.device = device
    }

    deinit {
        for i in claimed { libusb_release_interface(raw, i) }
        libusb_close(raw)
    }

    /// The active configuration value (0 when unconfigured).
    func configuration() throws(USBError) -> Int32 {
        var c: Int32 = 0
        try check(libusb_get_configuration(raw, &c), "get configuration")
        return c
    }

    func setConfiguration(_ value: Int32) throws(USBError) {
        try check(libusb_set_configuration(raw, value), "set configuration \(value)")
    }

    func claimInterface(_ number: Int32) throws(USBError) {
        try check(libusb_claim_interface(raw, number), "claim interface \(number)")
        claimed.append(number)
    }

    /// A string descriptor in ASCII (libusb asks for the first language).
    func asciiString(index: UInt8) throws(USBError) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = try check(libusb_get_string_descriptor_ascii(raw, index, &buffer, Int32(buffer.count)),
                          "get string descriptor \(index)")
        return String(decoding: buffer.prefix(Int(n)), as: UTF8.self)
    }

    func clearHalt(endpoint: UInt8) throws(USBError) {
        try check(libusb_clear_halt(raw, endpoint), "clear halt on endpoint 0x\(String(endpoint, radix: 16))")
    }

    /// A vendor control transfer to the device (bmRequestType 0x40) with an optional data stage.
    func controlOut(request: UInt8, value: UInt16, index: UInt16, data: [UInt8]) throws(USBError) {
        var bytes = data
        let n = try check(libusb_control_transfer(raw, 0x40, request, value, index, &bytes, UInt16(bytes.count),
                                                  controlTimeout),
                          Self.describe("OUT", request, value, index))
        guard Int(n) == data.count else {
            throw USBError(code: USBError.io, operation: Self.describe("OUT", request, value, index)
                           + " (sent \(n) of \(data.count) bytes)")
        }
    }

    /// A vendor control transfer from the device (bmRequestType 0xC0); returns what the device sent.
    func controlIn(request: UInt8, value: UInt16, index: UInt16, length: Int) throws(USBError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        let n = try check(libusb_control_transfer(raw, 0xC0, request, value, index, &bytes, UInt16(length),
                                                  controlTimeout),
                          Self.describe("IN", request, value, index))
        return Array(bytes.prefix(Int(n)))
    }

    private static func describe(_ dir: String, _ request: UInt8, _ value: UInt16, _ index: UInt16) -> String {
        "control \(dir) request 0x\(String(request, radix: 16, uppercase: true)) wValue \(value) wIndex 0x\(String(index, radix: 16))"
    }
}
