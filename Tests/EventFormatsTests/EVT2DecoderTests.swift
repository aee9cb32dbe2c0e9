import DVSEvents
@testable import EventFormats
import Testing

/// Hand-built EVT 2.0 word sequences.
@Suite("EVT 2.0 decoder on hand-built word sequences")
struct EVT2DecoderTests {
    let sensor = SensorSize(width: 64, height: 48)

    func decode(_ words: [UInt32], piece: Int = .max) -> ([Event], [EventFormatWarning]) {
        var d = EVT2Decoder(sensor: sensor)
        let events = decodeAll(&d, W2.bytes(words), piece: piece)
        return (events, d.tally.warnings)
    }

    @Test("CD words take t[5:0] from the word and t[33:6] from the last TIME_HIGH")
    func cd() {
        let t0: Int64 = (1 << 33) + 64 * 7
        let (e, w) = decode([W2.timeHigh(t0), W2.cd(t0 + 5, 3, 4, on: true), W2.cd(t0 + 63, 63, 47, on: false),
                             W2.timeHigh(t0 + 64), W2.cd(t0 + 64, 0, 0, on: true)])
        #expect(e == [ev(t0 + 5, 3, 4, 1), ev(t0 + 63, 63, 47, 0), ev(t0 + 64, 0, 0, 1)])
        #expect(w.isEmpty)
    }

    @Test("words before the first TIME_HIGH, triggers, IMU/OTHERS and undefined types are skipped and counted")
    func skipped() {
        let (e, w) = decode([W2.cd(1, 1, 1, on: true), W2.timeHigh(0), 0xA000_0101, 0xD000_0000, 0xE000_0000,
                             0xF000_0000, 0x5000_0000, W2.cd(2, 2, 2, on: false)])
        #expect(e == [ev(2, 2, 2, 0)])
        #expect(w.map(\.count) == [1, 1, 3, 1])
    }

    @Test("events outside the sensor are skipped and counted; time going backwards is kept and counted")
    func outsideAndBackwards() {
        let (e, w) = decode([W2.timeHigh(128), W2.cd(130, 64, 1, on: true), W2.cd(130, 1, 48, on: true),
                             W2.cd(140, 1, 1, on: true), W2.timeHigh(64), W2.cd(65, 1, 1, on: false)])
        #expect(e == [ev(140, 1, 1, 1), ev(65, 1, 1, 0)])
        #expect(w.first { $0.message.contains("outside") }?.count == 2)
        #expect(w.first { $0.message.contains("backwards") }?.count == 1)
    }

    @Test("decodes the same when cut between any two words")
    func pieces() {
        let words = [0xE000_0000, W2.timeHigh(640), W2.cd(641, 1, 2, on: true), W2.cd(650, 3, 4, on: false),
                     W2.timeHigh(704), W2.cd(705, 5, 6, on: true)]
        let whole = decode(words).0
        #expect(whole.count == 3)
        for piece in 1...3 { #expect(decode(words, piece: piece).0 == whole) }
    }
}
