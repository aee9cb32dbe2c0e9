import DVSEvents
import Testing
@testable import DVSCamera
import CameraEmulation

@Suite("DVXplorer words")
struct DVXplorerDecoderTests {
    static let vga = SensorGeometry(rawWidth: 640, rawHeight: 480)

    @Test("column, row groups, 8-pixel masks: group 1 from code 3, group 2 from code 2, bit 8 = OFF")
    func groups() {
        var d = DVXplorerDecoder(geometry: Self.vga)
        let words = Words.le16([
            Words.timestamp(20), Words.dvxColumn(100), Words.dvxGroups(g1: 4, offset: -2),
            Words.dvxMask(group: 1, 0b0000_0101, on: true), Words.dvxMask(group: 2, 0b1000_0000, on: false),
            Words.dvxColumn(0x800 | 101),  // start-of-readout flag in bit 11
            Words.dvxMask(group: 1, 0b0000_0001, on: false),
        ])
        #expect(decode(&d, [words]) == [
            Event(t: 20, x: 100, y: 32, on: true), Event(t: 20, x: 100, y: 34, on: true),
            Event(t: 20, x: 100, y: 23, on: false), Event(t: 20, x: 101, y: 32, on: false),
        ])
    }

    @Test("wrap and reset as for the DAVIS")
    func wrapAndReset() {
        var d = DVXplorerDecoder(geometry: Self.vga)
        let words = Words.le16([
            Words.dvxColumn(1), Words.dvxGroups(g1: 0, offset: 0), Words.wrap(3), Words.timestamp(2),
            Words.dvxMask(group: 1, 1, on: true), Words.reset, Words.timestamp(9), Words.dvxMask(group: 2, 2, on: true),
        ])
        #expect(decode(&d, [words]) == [Event(t: 3 * 32768 + 2, x: 1, y: 0, on: true), Event(t: 9, x: 1, y: 1, on: true)])
    }

    @Test("groups or columns off the array are counted and ignored")
    func invalid() {
        var d = DVXplorerDecoder(geometry: SensorGeometry(rawWidth: 320, rawHeight: 240))
        let words = Words.le16([
            Words.timestamp(1), Words.dvxColumn(5), Words.dvxGroups(g1: 1, offset: 0),
            Words.dvxColumn(320), Words.dvxGroups(g1: 30, offset: 0), Words.dvxGroups(g1: 1, offset: -2),
            Words.dvxMask(group: 1, 1, on: true),
        ])
        #expect(decode(&d, [words]) == [Event(t: 1, x: 5, y: 8, on: true)])
        #expect(d.invalidWords == 3)
    }
}
