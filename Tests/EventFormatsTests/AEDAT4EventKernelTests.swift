import DVSEvents
@testable import EventFormats
import Testing

/// The AEDAT 4 event kernel against a plain one-event-at-a-time reference, on packets of every length around the
/// vector width, clean and with events to skip (time going backwards, outside the sensor) at every position.
@Suite("AEDAT 4 event kernel: vector pass equals the plain loop")
struct AEDAT4EventKernelTests {
    /// 16-byte records `{int64 t; int16 x; int16 y; bool on; 3 padding}`, the padding filled with junk.
    static func records(_ events: [(t: Int64, x: UInt16, y: UInt16, on: UInt8)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for e in events {
            withUnsafeBytes(of: e.t.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: e.x.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: e.y.littleEndian) { bytes += $0 }
            bytes += [e.on, 0xA5, 0x5A, 0xFF]
        }
        return bytes
    }

    /// The reference: keep an event when its time is not before the last kept one and it lies on the sensor.
    static func reference(_ events: [(t: Int64, x: UInt16, y: UInt16, on: UInt8)], last: Int64, w: UInt16, h: UInt16)
        -> (kept: [Event], backwards: Int, outside: Int)
    {
        var kept: [Event] = [], last = last, backwards = 0, outside = 0
        for e in events {
            if e.t < last { backwards += 1; continue }
            if e.x >= w || e.y >= h { outside += 1; continue }
            last = e.t
            kept.append(Event(t: e.t, x: e.x, y: e.y, on: e.on != 0))
        }
        return (kept, backwards, outside)
    }

    static func run(_ events: [(t: Int64, x: UInt16, y: UInt16, on: UInt8)], last: Int64, w: UInt16, h: UInt16)
        -> (kept: [Event], state: AEDAT4EventKernel.State)
    {
        let bytes = records(events)
        let buffer = EventBuffer(capacity: 1)
        var state = AEDAT4EventKernel.State(last: last, width: w, height: h)
        bytes.withUnsafeBytes { raw in
            buffer.appendUnsafe(maxCount: events.count) { tp, xp, yp, pp in
                AEDAT4EventKernel.convert(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!, events.count,
                                          tp, xp, yp, pp, &state)
            }
        }
        return (buffer.events, state)
    }

    static func packet(_ n: Int, seed: UInt64) -> [(t: Int64, x: UInt16, y: UInt16, on: UInt8)] {
        var s = seed
        func next() -> UInt64 {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return s >> 33
        }
        var t: Int64 = 1_700_000_000_000_000
        return (0..<n).map { _ in
            t += Int64(next() % 4)
            return (t, UInt16(next() % 128), UInt16(next() % 128), UInt8(next() % 3))  // on: 0, 1 or 2 (any non-zero is ON)
        }
    }

    @Test("clean packets of every length around the vector width", arguments: [0, 1, 7, 8, 9, 15, 16, 17, 100, 1003])
    func clean(n: Int) {
        let events = Self.packet(n, seed: UInt64(n) + 1)
        let (kept, state) = Self.run(events, last: .min, w: 128, h: 128)
        let want = Self.reference(events, last: .min, w: 128, h: 128)
        #expect(kept == want.kept)
        #expect(kept.count == n)
        #expect(state.last == (events.last?.t ?? .min))
    }

    @Test("one bad event at every position of a 19-event packet is skipped and counted",
          arguments: Array(0..<19))
    func oneBad(position: Int) {
        for kind in 0..<3 {
            var events = Self.packet(19, seed: 99)
            switch kind {
            case 0: events[position].t = 5  // before everything
            case 1: events[position].x = 128
            default: events[position].y = 200
            }
            let (kept, state) = Self.run(events, last: 1_000, w: 128, h: 128)
            let want = Self.reference(events, last: 1_000, w: 128, h: 128)
            #expect(kept == want.kept, "kind \(kind) at \(position)")
            #expect(state.backwards == want.backwards && state.outside == want.outside, "kind \(kind) at \(position)")
            #expect(kept.count == 18)
        }
    }

    @Test("a packet starting before the previous packet's last time is filtered against it")
    func acrossPackets() {
        let events = Self.packet(40, seed: 7)
        let last = events[20].t
        let (kept, state) = Self.run(events, last: last, w: 128, h: 128)
        let want = Self.reference(events, last: last, w: 128, h: 128)
        #expect(kept == want.kept)
        #expect(state.backwards == want.backwards)
        #expect(state.backwards > 0)
    }
}
