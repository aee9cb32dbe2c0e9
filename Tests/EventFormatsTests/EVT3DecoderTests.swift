import DVSEvents
@testable import EventFormats
import Testing

/// Hand-built EVT 3.0 word sequences, after OpenEB's `decoders_evt3_decoder_gtest.cpp` and the format description.
@Suite("EVT 3.0 decoder on hand-built word sequences")
struct EVT3DecoderTests {
    let sensor = SensorSize(width: 64, height: 48)

    func decode(_ words: [UInt16], piece: Int = .max) -> ([Event], [EventFormatWarning]) {
        var d = EVT3Decoder(sensor: sensor)
        let events = decodeAll(&d, W3.bytes(words), piece: piece)
        return (events, d.tally.warnings)
    }

    func count(_ warnings: [EventFormatWarning], _ fragment: String) -> Int {
        warnings.first { $0.message.contains(fragment) }?.count ?? 0
    }

    @Test("ADDR_Y then ADDR_X emit events at the current time with ADDR_X's polarity")
    func basic() {
        let (e, w) = decode([W3.timeHigh(0), W3.y(1), W3.x(2), W3.x(3, on: true)])
        #expect(e == [ev(0, 2, 1, 0), ev(0, 3, 1, 1)])
        #expect(w.isEmpty)
    }

    @Test("words before the first TIME_HIGH are skipped and counted")
    func beforeFirstTimeHigh() {
        let (e, w) = decode([W3.y(1), W3.x(2), W3.timeHigh(3), W3.y(4), W3.x(5)])
        #expect(e == [ev(3 << 12, 5, 4, 0)])
        #expect(count(w, "before the first TIME_HIGH") == 2)
    }

    @Test("a TIME_HIGH that goes back is taken as sent (no wrap), and the step back is counted")
    func nonMonotonicTimeHigh() {
        let (e, w) = decode([W3.timeHigh(0), W3.y(1), W3.x(2), W3.timeHigh(1), W3.x(3), W3.timeHigh(0), W3.x(4),
                             W3.timeHigh(1), W3.x(5)])
        #expect(e.map(\.t) == [0, 1 << 12, 0, 1 << 12])
        #expect(count(w, "time went backwards") == 1)
    }

    @Test("a jump in TIME_HIGH is taken as sent")
    func timeHighJump() {
        let (e, _) = decode([W3.timeHigh(0), W3.y(1), W3.x(2), W3.timeHigh(2), W3.x(3), W3.timeHigh(3), W3.x(4)])
        #expect(e.map(\.t) == [0, 2 << 12, 3 << 12])
    }

    @Test("TIME_HIGH falling by almost the full range counts a 2^24 µs wrap, even with a small gap")
    func wrapWithGap() {
        let ramp = (0...0xFFD).map { W3.timeHigh(UInt16($0)) }
        let (e, w) = decode(ramp + [W3.y(1), W3.x(2), W3.timeHigh(1), W3.x(3), W3.timeHigh(2), W3.x(4)])
        #expect(e.map(\.t) == [0xFFD << 12, 0x1001 << 12, 0x1002 << 12])
        #expect(w.isEmpty)
    }

    @Test("the 2^24 µs wrap: TIME_HIGH 0xFFF then 0, with TIME_LOW after it")
    func wrap() {
        let (e, _) = decode([W3.timeHigh(0xFFF), W3.y(1), W3.timeLow(0xFFE), W3.x(2), W3.timeHigh(0), W3.x(3),
                             W3.timeLow(7), W3.x(4), W3.timeHigh(0xFFF), W3.timeHigh(0), W3.x(5)])
        let expected: [Microseconds] = [0xFFFFFE, 1 << 24, (1 << 24) + 7, 2 << 24]
        #expect(e.map(\.t) == expected)
    }

    @Test("a fall of exactly 4086 is a step back, a fall of 4087 a wrap", arguments: [(UInt16(9), false), (UInt16(8), true)])
    func wrapThreshold(_ next: UInt16, _ wraps: Bool) {
        let (e, _) = decode([W3.timeHigh(0xFFF), W3.y(0), W3.timeHigh(next), W3.x(1)])
        #expect(e.map(\.t) == [(wraps ? 1 << 24 : 0) + Int64(next) << 12])
    }

    @Test("a repeated TIME_LOW keeps the time; a TIME_HIGH with the same value keeps TIME_LOW, a new one zeroes it")
    func repeatedTimeLow() {
        let (e, w) = decode([W3.timeHigh(1), W3.y(2), W3.timeLow(5), W3.x(1), W3.timeLow(5), W3.x(2), W3.timeHigh(1),
                             W3.x(3), W3.timeHigh(2), W3.x(4)])
        let expected: [Microseconds] = [4101, 4101, 4101, 2 << 12]
        #expect(e.map(\.t) == expected)
        #expect(w.isEmpty)
    }

    @Test("a decreasing TIME_LOW is taken as sent: no clamping, no wrap (811 then 800, as in the expelliarmus sample)")
    func decreasingTimeLow() {
        let (e, w) = decode([W3.timeHigh(2861), W3.y(3), W3.timeLow(811), W3.x(1), W3.timeLow(800), W3.x(2),
                             W3.timeLow(812), W3.x(3)])
        let base = Int64(2861) << 12
        #expect(e.map(\.t) == [base + 811, base + 800, base + 812])
        #expect(count(w, "time went backwards") == 1)
    }

    @Test("VECT_12, VECT_12, VECT_8 after VECT_BASE_X emit 32 events in increasing x with the base's polarity")
    func vectors12128() {
        let (e, _) = decode([W3.timeHigh(0), W3.y(1), W3.base(1, on: true), W3.vect12(0xFFF), W3.vect12(0xFFF),
                             W3.vect8(0xFF)])
        #expect(e == (1...32).map { ev(0, UInt16($0), 1, 1) })
    }

    @Test("an ADDR_X between vector words leaves the base alone")
    func partialVectors() {
        let (e, _) = decode([W3.timeHigh(0), W3.y(1), W3.base(1), W3.vect12(0xFFF), W3.x(2), W3.vect8(0xFF)])
        #expect(e.count == 12 + 1 + 8)
        #expect(e.map(\.x) == Array(1...12) + [2] + Array(13...20))
    }

    @Test("a lone VECT_8 is decoded (the format description; OpenEB's HAL drops it unless it ends a 12-12-8 group)")
    func loneVect8() {
        let (e, _) = decode([W3.timeHigh(0), W3.y(1), W3.base(1), W3.vect8(0xFF), W3.x(2)])
        #expect(e.map(\.x) == Array(1...8) + [2])
    }

    @Test("sparse vector bits map bit k to base + k")
    func sparseVector() {
        let (e, _) = decode([W3.timeHigh(0), W3.y(4), W3.base(10), W3.vect12(0b1000_0000_0101), W3.vect8(0b1000_0001)])
        #expect(e.map(\.x) == [10, 12, 21, 22, 29])
    }

    @Test("vector words decode the same when the stream is cut between any two words")
    func vectorsAcrossCalls() {
        let words = [W3.timeHigh(3), W3.y(1), W3.base(1), W3.vect12(0xABC), W3.vect12(0x123), W3.vect8(0x5A),
                     W3.timeLow(9), W3.x(7, on: true), W3.vect12(0xFFF)]
        let (whole, _) = decode(words)
        for piece in 1...4 {
            #expect(decode(words, piece: piece).0 == whole)
        }
    }

    @Test("events outside the sensor are skipped and counted, for ADDR_X, vectors and rows")
    func outside() {
        let (e, w) = decode([W3.timeHigh(0), W3.y(1), W3.x(64), W3.x(63), W3.base(60), W3.vect12(0xFFF), W3.y(48),
                             W3.x(1)])
        #expect(e == [ev(0, 63, 1, 0)] + (60...63).map { ev(0, UInt16($0), 1, 0) })
        #expect(count(w, "outside the 64×48 sensor") == 1 + 8 + 1)
    }

    @Test("triggers, OTHERS, CONTINUED and undefined words are skipped and counted; the master bit of ADDR_Y is ignored")
    func otherWords() {
        let (e, w) = decode([W3.timeHigh(0), W3.trigger(3, true), 0xE000, 0x7001, 0xF002, 0x1000, 0x9000,
                             W3.y(5, master: true), W3.x(6)])
        #expect(e == [ev(0, 6, 5, 0)])
        #expect(count(w, "EXT_TRIGGER") == 1)
        #expect(count(w, "OTHERS and CONTINUED") == 3)
        #expect(count(w, "undefined") == 2)
    }
}
