/// Finding cameras on the bus and asking each who it is (libcaer's usbDeviceFind): serial number, firmware
/// version from `bcdDevice`, and for FPGA cameras the logic version and chip identifier.
extension Camera {
    /// The iniVation cameras attached now, each with a status saying whether it can be opened.
    /// Throws only when USB itself cannot be used (no libusb context).
    public static func list() throws -> [CameraInfo] {
        let context: USBContext
        do { context = try USBContext() } catch { throw CameraError.usb(error) }
        return try candidates(context).map { probe($0.device, $0.family).info }
    }

    /// Devices with iniVation's vendor ID and a known product ID, in bus order.
    static func candidates(_ context: USBContext) throws -> [(device: USBDevice, family: CameraFamily)] {
        let devices: [USBDevice]
        do { devices = try context.devices() } catch { throw CameraError.usb(error) }
        return devices.compactMap { d in
            guard let desc = try? d.descriptor(), desc.vendorID == CameraFamily.vendorID,
                  let family = CameraFamily(productID: desc.productID) else { return nil }
            return (d, family)
        }.sorted { ($0.device.busNumber, $0.device.address) < ($1.device.busNumber, $1.device.address) }
    }

    /// Opens a device and reads who it is. Returns the open handle when the camera is usable.
    static func probe(_ device: USBDevice, _ family: CameraFamily) -> (info: CameraInfo, handle: USBDeviceHandle?, chipID: Int?) {
        let bcd = (try? device.descriptor().bcdDevice) ?? 0
        var info = CameraInfo(family: family, model: family.description, serial: nil,
                              firmwareVersion: Int(bcd & 0xFF), logicVersion: nil,
                              busNumber: Int(device.busNumber), address: Int(device.address),
                              ports: device.portNumbers.map(Int.init), status: .ready)
        let handle: USBDeviceHandle
        do {
            handle = try device.open()
        } catch {
            info.status = error.code == USBError.access ? .accessDenied
                : error.code == USBError.busy ? .busy : .failed(error.description)
            return (info, nil, nil)
        }
        do {
            let index = try device.descriptor().serialNumberIndex
            info.serial = index == 0
                ? temporarySerial(Int(device.busNumber) << 8 | Int(device.address))
                : String(try handle.asciiString(index: index).prefix(8))
            if family == .dvxplorer && bcd >> 8 == 4 {
                info.model = "DVXplorer Mini"
                info.status = .failed("the DVXplorer Mini (CX3 bridge) is not supported yet")
                return (info, nil, nil)
            }
            guard info.firmwareVersion >= family.minimumFirmware else {
                info.status = .firmwareTooOld(minimum: family.minimumFirmware)
                return (info, nil, nil)
            }
            guard let minimum = family.minimumLogic else { return (info, handle, nil) }
            let logic = Int(try handle.readConfig(.logicVersion))
            let patch = Int(try handle.readConfig(.logicPatch))
            info.logicVersion = logic
            guard logic >= minimum.version, patch >= minimum.patch else {
                info.status = .logicTooOld(found: logic, patch: patch, minimum: minimum.version, minimumPatch: minimum.patch)
                return (info, nil, nil)
            }
            let chip = Int(try handle.readConfig(.chipIdentifier))
            info.model = family == .dvxplorer ? DVXplorerDriver.model(chipID: chip) : DAVISDriver.model(chipID: chip)
            if family != .dvxplorer && chip == DAVISDriver.rgbChipID {
                info.status = .failed("the \(info.model) (DAVIS RGB) needs a bias table of its own, not supported yet")
                return (info, nil, chip)
            }
            return (info, handle, chip)
        } catch {
            info.status = .failed("\(error)")
            return (info, nil, nil)
        }
    }
}

/// libcaer's made-up serial for devices without one: "TMP" and a 5-digit number from bus and address.
private func temporarySerial(_ n: Int) -> String {
    let digits = String(n)
    return "TMP" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
}
