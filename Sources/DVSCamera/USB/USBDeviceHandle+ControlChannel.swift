/// The device handle is the control channel of a real camera.
extension USBDeviceHandle: ControlChannel {
    func vendorOut(request: UInt8, value: UInt16, index: UInt16, data: [UInt8]) throws {
        try controlOut(request: request, value: value, index: index, data: data)
    }

    func vendorIn(request: UInt8, value: UInt16, index: UInt16, length: Int) throws -> [UInt8] {
        try controlIn(request: request, value: value, index: index, length: length)
    }
}
