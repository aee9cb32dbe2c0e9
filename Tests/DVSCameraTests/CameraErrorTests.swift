import Testing
@testable import DVSCamera

@Suite("Camera errors")
struct CameraErrorTests {
    static func info(_ status: CameraInfo.Status, serial: String? = "S1") -> CameraInfo {
        CameraInfo(family: .dvxplorer, model: "DVXplorer", serial: serial, firmwareVersion: 8, logicVersion: 18,
                   busNumber: 1, address: 4, ports: [3], status: status)
    }

    @Test("a camera this user may not open: permission denied, naming the udev rule")
    func denied() {
        let e = Camera.openFailure(wanted: nil, seen: [Self.info(.accessDenied, serial: nil)])
        guard case .permissionDenied = e else { Issue.record("got \(e)"); return }
        #expect("\(e)".contains("tools/65-inivation.rules") && "\(e)".contains("bus 1 address 4"))
    }

    @Test("old FPGA logic names the part, the version found and the minimum")
    func oldLogic() {
        let e = Camera.openFailure(wanted: "S1", seen: [Self.info(.logicTooOld(found: 17, patch: 0, minimum: 18, minimumPatch: 2))])
        guard case .versionTooOld(_, "FPGA logic", 17, 18) = e else { Issue.record("got \(e)"); return }
        #expect("\(e)".contains("needs at least 18"))
    }

    @Test("a wanted serial that is not attached lists what is")
    func wrongSerial() {
        let e = Camera.openFailure(wanted: "NOPE", seen: [Self.info(.ready)])
        guard case .noCamera("NOPE", let found) = e else { Issue.record("got \(e)"); return }
        #expect(found.count == 1 && "\(e)".contains("NOPE") && "\(e)".contains("DVXplorer serial S1"))
    }

    @Test("a camera is named by its serial or by bus:address")
    func matching() {
        let c = Self.info(.ready)
        #expect(c.matches("S1") && c.matches("1:4") && !c.matches("1:5") && !c.matches("S2"))
    }

    @Test("USB errors name the operation and libusb's code, with advice for access and busy")
    func usb() {
        let e = USBError(code: USBError.access, operation: "open bus 1 address 4")
        #expect(e.description.contains("LIBUSB_ERROR_ACCESS") && e.description.contains("65-inivation.rules"))
        #expect(USBError(code: USBError.noDevice, operation: "x").isDeviceGone)
    }
}
