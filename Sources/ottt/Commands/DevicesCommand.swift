import DVSCamera
import Foundation

/// `ottt devices`: the attached iniVation cameras, and what to do when one cannot be opened.
struct DevicesCommand: Command {
    static let name = "devices"
    static let abstract = "List the attached event cameras: model, serial, firmware, logic, bus and port."
    static let usage = """
    usage: ottt devices [--json]

    Lists the iniVation cameras on USB (DVS128, DAVIS240/346 on FX2 or FX3, DVXplorer), whether each can be
    opened, and why not (permissions: install tools/65-inivation.rules; old firmware or logic).

    Options:
      --json    one JSON array of cameras on stdout

    Example:
      ottt devices
    """

    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        print(json ? try Self.renderJSON(try Camera.list()) : Self.render(try Camera.list()))
    }

    /// The table for a terminal, with advice under it when a camera cannot be opened.
    static func render(_ cameras: [CameraInfo]) -> String {
        guard !cameras.isEmpty else {
            return "No camera attached (looked for iniVation DVS128, DAVIS and DVXplorer, USB vendor 152a).\n"
                + "If one is plugged in, check the cable; in Docker pass --privileged -v /dev/bus/usb:/dev/bus/usb."
        }
        let header = ["MODEL", "SERIAL", "FIRMWARE", "LOGIC", "BUS:ADDR", "PORT", "STATUS"]
        let rows = cameras.map { c in
            [c.model, c.serial ?? "?", String(c.firmwareVersion), c.logicVersion.map(String.init) ?? "-",
             "\(c.busNumber):\(c.address)", c.portPath, status(c.status)]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        let lines = ([header] + rows).map { row in
            row.indices.map { i in i == row.count - 1 ? row[i] : row[i].padding(widths[i] + 2) }.joined()
        }
        var advice: [String] = []
        if cameras.contains(where: { $0.status == .accessDenied }) {
            advice.append("Permission denied: \(CameraError.udevAdvice).")
        }
        if cameras.contains(where: { if case .firmwareTooOld = $0.status { true } else if case .logicTooOld = $0.status { true } else { false } }) {
            advice.append("Old firmware or FPGA logic: update the camera with iniVation's flashy tool.")
        }
        return (lines + advice).joined(separator: "\n")
    }

    static func status(_ s: CameraInfo.Status) -> String {
        switch s {
        case .ready: "ready"
        case .accessDenied: "permission denied"
        case .busy: "in use by another program"
        case .firmwareTooOld(let minimum): "firmware too old (needs \(minimum))"
        case let .logicTooOld(found, patch, minimum, minimumPatch):
            "logic \(found).\(patch) too old (needs \(minimum).\(minimumPatch))"
        case .failed(let reason): "error: \(reason)"
        }
    }

    private struct Row: Encodable {
        var model: String, family: String, serial: String?, firmware: Int, logic: Int?
        var bus: Int, address: Int, port: String, status: String
    }

    static func renderJSON(_ cameras: [CameraInfo]) throws -> String {
        let rows = cameras.map {
            Row(model: $0.model, family: $0.family.rawValue, serial: $0.serial, firmware: $0.firmwareVersion,
                logic: $0.logicVersion, bus: $0.busNumber, address: $0.address, port: $0.portPath, status: status($0.status))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }
}
