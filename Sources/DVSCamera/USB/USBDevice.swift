internal import CLibUSB

/// A device on the bus (not yet opened): its identity and where it is plugged.
final class USBDevice: @unchecked Sendable {
    let raw: OpaquePointer
    let context: USBContext

    init(retaining raw: OpaquePointer, context: USBContext) {
        self.raw = libusb_ref_device(raw)
        self.context = context
    }

    deinit { libusb_unref_device(raw) }

    /// The 18-byte device descriptor's fields that identify a camera.
    struct Descriptor: Hashable, Sendable {
        var vendorID: UInt16
        var productID: UInt16
        /// `bcdDevice`: iniVation cameras carry the firmware version in the low byte and the device type in the high byte.
        var bcdDevice: UInt16
        var serialNumberIndex: UInt8
    }

    func descriptor() throws(USBError) -> Descriptor {
        var d = libusb_device_descriptor()
        try check(libusb_get_device_descriptor(raw, &d), "get device descriptor")
        return Descriptor(vendorID: d.idVendor, productID: d.idProduct, bcdDevice: d.bcdDevice,
                          serialNumberIndex: d.iSerialNumber)
    }

    var busNumber: UInt8 { libusb_get_bus_number(raw) }
    var address: UInt8 { libusb_get_device_address(raw) }

    /// The port path from the root hub, e.g. [1, 4] for "1-1.4".
    var portNumbers: [UInt8] {
        var ports = [UInt8](repeating: 0, count: 8)
        let n = libusb_get_port_numbers(raw, &ports, Int32(ports.count))
        return n > 0 ? Array(ports.prefix(Int(n))) : []
    }

    func open() throws(USBError) -> USBDeviceHandle {
        var handle: OpaquePointer?
        try check(libusb_open(raw, &handle), "open bus \(busNumber) address \(address)")
        guard let handle else { throw USBError(code: USBError.io, operation: "open") }
        return USBDeviceHandle(raw: handle, device: self)
    }
}
