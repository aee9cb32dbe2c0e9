/// An umockdev device description (umockdev-record's text format) of one iniVation camera: sysfs path, device node,
/// udev properties, attributes, and the device + configuration descriptors with the camera's bulk IN endpoint.
public struct EmulatedDevice {
    public var productID: UInt16
    public var bcdDevice: UInt16
    public var endpoint: UInt8
    public var bus = 1
    public var address = 2
    public var port = 1

    public init(productID: UInt16, bcdDevice: UInt16, endpoint: UInt8, bus: Int = 1, address: Int = 2, port: Int = 1) {
        self.productID = productID
        self.bcdDevice = bcdDevice
        self.endpoint = endpoint
        self.bus = bus
        self.address = address
        self.port = port
    }

    public var sysfsPath: String { "/sys/devices/pci0000:00/0000:00:14.0/usb\(bus)/\(bus)-\(port)" }

    /// 18-byte device descriptor + configuration 1 with interface 0 and one bulk IN endpoint (512 B packets).
    public var descriptors: [UInt8] {
        let device: [UInt8] = [
            18, 1, 0x00, 0x02, 0, 0, 0, 64, 0x2A, 0x15, UInt8(productID & 0xFF), UInt8(productID >> 8),
            UInt8(bcdDevice & 0xFF), UInt8(bcdDevice >> 8), 1, 2, 3, 1,
        ]
        let configuration: [UInt8] = [9, 2, 25, 0, 1, 1, 0, 0x80, 250]
        let interface: [UInt8] = [9, 4, 0, 0, 1, 0xFF, 0, 0, 0]
        let bulkIn: [UInt8] = [7, 5, endpoint, 2, 0x00, 0x02, 0]
        return device + configuration + interface + bulkIn
    }

    public var description: String {
        let b = padded(String(bus), 3), d = padded(String(address), 3)
        let hex = descriptors.map { padded(String($0, radix: 16), 2) }.joined()
        let pid = padded(String(productID, radix: 16), 4)
        return """
        P: /devices/pci0000:00/0000:00:14.0/usb\(bus)/\(bus)-\(port)
        N: bus/usb/\(b)/\(d)
        E: DEVNAME=/dev/bus/usb/\(b)/\(d)
        E: DEVTYPE=usb_device
        E: DRIVER=usb
        E: PRODUCT=152a/\(pid)/\(String(bcdDevice, radix: 16))
        E: TYPE=0/0/0
        E: BUSNUM=\(b)
        E: DEVNUM=\(d)
        E: MAJOR=189
        E: MINOR=\(address - 1 + 128 * (bus - 1))
        E: SUBSYSTEM=usb
        A: authorized=1
        A: bConfigurationValue=1
        A: bDeviceClass=00
        A: bNumConfigurations=1
        A: bNumInterfaces= 1
        A: bcdDevice=\(padded(String(bcdDevice, radix: 16), 4))
        A: busnum=\(bus)
        H: descriptors=\(hex)
        A: dev=189:\(address - 1 + 128 * (bus - 1))
        A: devnum=\(address)
        A: devpath=\(port)
        A: idProduct=\(pid)
        A: idVendor=152a
        A: maxchild=0
        A: speed=480

        """
    }
}

private func padded(_ s: String, _ width: Int) -> String {
    String(repeating: "0", count: max(0, width - s.count)) + s
}
