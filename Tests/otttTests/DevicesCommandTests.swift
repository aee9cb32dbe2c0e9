import DVSCamera
import Testing
@testable import ottt

@Suite("ottt devices")
struct DevicesCommandTests {
    static let davis = CameraInfo(family: .davisFX3, model: "DAVIS346B", serial: "00000346", firmwareVersion: 6,
                                  logicVersion: 18, busNumber: 3, address: 7, ports: [2, 1], status: .ready)

    @Test("none attached: says so and where to look")
    func none() throws {
        #expect(DevicesCommand.render([]).hasPrefix("No camera attached"))
        #expect(try DevicesCommand.renderJSON([]) == "[]")
    }

    @Test("a table row per camera with model, serial, versions, bus:address and port")
    func table() {
        let lines = DevicesCommand.render([Self.davis]).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].split(separator: " ", omittingEmptySubsequences: true)
                == ["DAVIS346B", "00000346", "6", "18", "3:7", "3-2.1", "ready"])
    }

    @Test("permission denied names the udev rule")
    func denied() {
        var c = Self.davis
        c.serial = nil
        c.status = .accessDenied
        let text = DevicesCommand.render([c])
        #expect(text.contains("permission denied"))
        #expect(text.contains("tools/65-inivation.rules"))
    }

    @Test("--json lists the same fields")
    func json() throws {
        let text = try DevicesCommand.renderJSON([Self.davis])
        #expect(text.contains("\"serial\":\"00000346\"") && text.contains("\"port\":\"3-2.1\"") && text.contains("\"logic\":18"))
    }
}
