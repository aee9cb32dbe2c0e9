import Testing
@testable import DVSCamera

/// A control channel that answers reads from a table (0 otherwise) and records every request, for the variants of
/// the default configuration that the emulated tests do not cover (their captures check the common sequences).
final class RecordingControl: ControlChannel {
    var replies: [ConfigRegister: UInt32]
    var writes: [(ConfigRegister, UInt32)] = []
    var reads: [ConfigRegister] = []

    init(replies: [ConfigRegister: UInt32]) { self.replies = replies }

    func vendorOut(request: UInt8, value: UInt16, index: UInt16, data: [UInt8]) throws {
        writes.append((ConfigRegister(UInt8(value), index), data.reduce(0) { $0 << 8 | UInt32($1) }))
    }

    func vendorIn(request: UInt8, value: UInt16, index: UInt16, length: Int) throws -> [UInt8] {
        let register = ConfigRegister(UInt8(value), index)
        reads.append(register)
        let v = replies[register] ?? 0
        return [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    func pause(milliseconds: Int) {}

    func written(_ register: ConfigRegister) -> [UInt32] { writes.filter { $0.0 == register }.map(\.1) }
}

@Suite("Default configuration variants")
struct DefaultConfigurationTests {
    @Test("DVXplorer Lite (chip 19): no dual-binning write, subsample ratio 2·0+1 both ways, a 320 × 240 crop window")
    func dvxplorerLite() throws {
        let control = RecordingControl(replies: [.dvsColumns: 320, .dvsRows: 240, .chip(0x3204): 0xC0])
        _ = try DVXplorerDriver(chipID: 19).configure(control)
        #expect(control.written(.chip(0x3202)).isEmpty)
        #expect(control.written(.chip(0x3204)) == [0xC9], "bits 6–7 kept, ratio bits set to 1 and 1")
        #expect(control.written(.chip(0x3307)) == [0x01] && control.written(.chip(0x3308)) == [0x3F])  // column 319
        #expect(control.written(.chip(0x3303)) == [29] && control.written(.chip(0x3304)) == [0xFF])    // row 239
        #expect(control.writes.last.map { $0.0 == .chip(0x3201) && $0.1 == 2 } == true, "ends with the restart")
    }

    @Test("DAVIS640 slows its photoreceptors; DAVIS240A/B switch off their special pixels; only the 346/640 test the ADC")
    func davisVariants() {
        let davis640 = Dictionary(uniqueKeysWithValues: DAVISDriver(chipID: 6).biases.map { ($0.address, $0.value) })
        #expect(davis640[14] == DAVISDriver.coarseFine(coarse: 2, fine: 3, nType: false))
        #expect(davis640[15] == DAVISDriver.coarseFine(coarse: 1, fine: 1, nType: false))
        #expect(davis640[4] != nil)
        #expect(DAVISDriver.coarseFine(coarse: 5, fine: 185, nType: true, cascode: true) == 0x5B9B)
        let davis128 = DAVISDriver(chipID: 3)
        #expect(!davis128.biases.contains { $0.address == 4 } && !davis128.chipRegisters.contains { $0.address == 144 })
        #expect(DAVISDriver(chipID: 0).chipRegisters.contains { $0.address == 139 })
        #expect(!DAVISDriver(chipID: 2).chipRegisters.contains { $0.address == 139 })
        #expect(DAVISDriver(chipID: 2).biases.map(\.address) == Array(0...21))
    }

    @Test("a DAVIS without optional filters and without a global shutter gets no filter or shutter writes")
    func davisWithoutFeatures() throws {
        let control = RecordingControl(replies: [.dvsColumns: 346, .dvsRows: 260, .usbClock: 80, .clockDeviation: 1000])
        _ = try DAVISDriver(chipID: 5).configure(control)
        #expect(!control.writes.contains { $0.0.module == 1 && $0.0.parameter > 10 }, "no filter registers")
        #expect(control.written(.apsGlobalShutter).isEmpty && control.written(.chip(142)).isEmpty)
        #expect(control.written(.usbEarlyPacketDelay) == [80_000])
    }
}
