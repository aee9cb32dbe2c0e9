import DVSEvents
@testable import EventFormats
import Testing

/// N-MNIST records, including tonic's y == 240 time-overflow markers.
@Suite("N-MNIST .bin decoder")
struct NMNISTDecoderTests {
    func rec(_ x: UInt8, _ y: UInt8, _ on: Bool, _ t: UInt32) -> [UInt8] {
        [x, y, (on ? 0x80 : 0) | UInt8(t >> 16 & 0x7F), UInt8(t >> 8 & 0xFF), UInt8(t & 0xFF)]
    }

    @Test("40-bit big-endian records; a y == 240 marker is not an event and adds 2^13 µs to itself and every later record")
    func overflow() {
        var d = NMNISTDecoder(sensor: .nmnist)
        let bytes = rec(1, 2, true, 0x7FFFFF) + rec(0, 240, false, 0) + rec(33, 33, false, 5) + rec(0, 240, true, 9)
            + rec(3, 4, true, 6)
        let events = decodeAll(&d, bytes, piece: 2)
        #expect(events == [ev(0x7FFFFF, 1, 2, 1), ev(8192 + 5, 33, 33, 0), ev(2 * 8192 + 6, 3, 4, 1)])
        #expect(d.markers == 2)
        // Time went back from 0x7FFFFF to 8197: kept as decoded, and counted.
        #expect(d.tally.warnings.map(\.count) == [1])
    }

    @Test("records outside the 34×34 sensor (other than markers) are skipped and counted")
    func outside() {
        var d = NMNISTDecoder(sensor: .nmnist)
        let events = decodeAll(&d, rec(34, 0, true, 1) + rec(0, 34, true, 2) + rec(0, 0, true, 3))
        #expect(events == [ev(3, 0, 0, 1)])
        #expect(d.tally.warnings.first?.count == 2)
        #expect(d.tally.warnings.first?.offset == 0)
    }
}
