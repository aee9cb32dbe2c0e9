import DVSEvents
import Testing
@testable import DVSCamera
import CameraEmulation

@Suite("DAVIS words")
struct DAVISDecoderTests {
    static let davis346 = SensorGeometry(rawWidth: 346, rawHeight: 260)

    @Test("row then columns: code 3 ON, code 2 OFF, at the last timestamp")
    func events() {
        var d = DAVISDecoder(geometry: Self.davis346)
        let words = Words.le16([Words.timestamp(7), Words.davisRow(259), Words.davisColumn(0, on: true),
                                Words.davisColumn(345, on: false), Words.timestamp(8), Words.davisColumn(1, on: true)])
        #expect(decode(&d, [words]) == [
            Event(t: 7, x: 0, y: 259, on: true), Event(t: 7, x: 345, y: 259, on: false), Event(t: 8, x: 1, y: 259, on: true),
        ])
    }

    @Test("wrap words add data × 32768 µs; a reset restarts at 0; 64-bit past 2³¹")
    func wrapAndReset() {
        var d = DAVISDecoder(geometry: Self.davis346)
        var words = [Words.timestamp(0x7FFF), Words.davisRow(1), Words.davisColumn(2, on: true), Words.wrap(1),
                     Words.timestamp(4), Words.davisColumn(3, on: true)]
        words += Array(repeating: Words.wrap(0xFFF), count: 20)  // 20 × 4095 × 32768 µs > 2^31
        words += [Words.timestamp(5), Words.davisColumn(4, on: false), Words.reset, Words.timestamp(6),
                  Words.davisColumn(5, on: true)]
        let t = decode(&d, [Words.le16(words)]).map(\.t)
        let big: Int64 = 0x8000 + 20 * 4095 * 0x8000 + 5
        let expected: [Int64] = [0x7FFF, 0x8000 + 4, big, 6]
        #expect(t == expected)
        #expect(d.clock.resets == 1)
        #expect(d.clock.backwardSteps == 0, "a reset is not a step backwards")
    }

    @Test("addresses off the array are counted, not emitted; APS and IMU words are skipped")
    func invalid() {
        var d = DAVISDecoder(geometry: Self.davis346)
        let words = Words.le16([Words.timestamp(1), Words.davisRow(260), Words.davisRow(3), Words.davisColumn(346, on: true),
                                0x4123, 0x5012, 0x6001, Words.davisColumn(9, on: true)])
        #expect(decode(&d, [words]) == [Event(t: 1, x: 9, y: 3, on: true)])
        #expect(d.invalidWords == 2)
    }

    @Test("a timestamp going backwards is counted")
    func backwards() {
        var d = DAVISDecoder(geometry: Self.davis346)
        _ = decode(&d, [Words.le16([Words.timestamp(100), Words.timestamp(50)])])
        #expect(d.clock.backwardSteps == 1)
    }

    @Test("orientation: swap exchanges X and Y, flips mirror before the swap")
    func orientation() {
        let g = SensorGeometry(rawWidth: 240, rawHeight: 180, swapXY: true, flipX: true, flipY: false)
        var d = DAVISDecoder(geometry: g)
        let events = decode(&d, [Words.le16([Words.timestamp(1), Words.davisRow(10), Words.davisColumn(0, on: true)])])
        #expect(g.sensor == SensorSize(width: 180, height: 240))
        #expect(events == [Event(t: 1, x: 10, y: 239, on: true)])
    }
}
