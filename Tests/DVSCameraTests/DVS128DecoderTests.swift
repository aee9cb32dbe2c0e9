import DVSEvents
import Testing
@testable import DVSCamera
import CameraEmulation

@Suite("DVS128 words")
struct DVS128DecoderTests {
    @Test("address bits: polarity inverted, X and Y mirrored, 14-bit timestamps")
    func addresses() {
        var d = DVS128Decoder()
        // Raw address 0x0000: x = 127, y = 127, bit 0 clear = ON. Raw 0x7FFF: x = 0, y = 0, OFF.
        let events = decode(&d, [[0x00, 0x00, 0x05, 0x00], [0xFF, 0x7F, 0xFF, 0x3F]])
        #expect(events == [Event(t: 5, x: 127, y: 127, on: true), Event(t: 0x3FFF, x: 0, y: 0, on: false)])
    }

    @Test("a wrap adds 0x4000 µs, a reset restarts at 0, sync words are not events")
    func wrapAndReset() {
        var d = DVS128Decoder()
        let words = Words.dvs128(x: 3, y: 4, on: true, t: 0x3FF0) + Words.dvs128Wrap + Words.dvs128Wrap
            + Words.dvs128(x: 5, y: 6, on: false, t: 2)
            + [0x00, 0x80, 0x10, 0x00]  // external sync (address bit 15)
            + Words.dvs128Reset + Words.dvs128(x: 7, y: 8, on: true, t: 1)
        let events = decode(&d, [words])
        #expect(events == [
            Event(t: 0x3FF0, x: 3, y: 4, on: true), Event(t: 0x8000 + 2, x: 5, y: 6, on: false),
            Event(t: 1, x: 7, y: 8, on: true),
        ])
        #expect(d.syncWords == 1)
        #expect(d.clock.resets == 1)
    }

    @Test("a word split across two transfers is joined", arguments: 1...3)
    func splitWord(cut: Int) {
        var d = DVS128Decoder()
        let w = Words.dvs128(x: 10, y: 20, on: false, t: 300) + Words.dvs128(x: 11, y: 21, on: true, t: 301)
        let events = decode(&d, [Array(w[..<cut]), Array(w[cut...])])
        #expect(events == [Event(t: 300, x: 10, y: 20, on: false), Event(t: 301, x: 11, y: 21, on: true)])
    }

    @Test("timestamps keep growing over many wraps, past 32 bits")
    func longRun() {
        var d = DVS128Decoder()
        let wraps = (1 << 32) / 0x4000 + 5
        let events = decode(&d, [Array(repeating: Words.dvs128Wrap, count: wraps).flatMap { $0 }
                                 + Words.dvs128(x: 0, y: 0, on: true, t: 9)])
        #expect(events.map(\.t) == [Int64(wraps) * 0x4000 + 9])
    }
}
