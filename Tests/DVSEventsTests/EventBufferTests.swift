import Testing
import DVSEvents

@Suite("EventBuffer")
struct EventBufferTests {
    @Test("grows past its capacity and keeps every event in order")
    func growth() {
        let buffer = EventBuffer(capacity: 2)
        for i in 0..<1000 {
            buffer.append(t: Int64(i) * 3, x: UInt16(i % 128), y: UInt16(i % 7), p: UInt8(i & 1))
        }
        #expect(buffer.count == 1000)
        #expect(buffer.capacity >= 1000)
        #expect(buffer[999] == Event(t: 2997, x: UInt16(999 % 128), y: UInt16(999 % 7), on: true))
        #expect(buffer.t.last == 2997)
        buffer.removeAll()
        #expect(buffer.isEmpty)
        #expect(buffer.capacity >= 1000)
    }

    @Test("appends a range of another buffer")
    func appendRange() {
        let a = EventBuffer([Event(t: 1, x: 1, y: 1, on: true), Event(t: 2, x: 2, y: 2, on: false),
                             Event(t: 3, x: 3, y: 3, on: true)])
        let b = EventBuffer(capacity: 1)
        b.append(contentsOf: a, range: 1..<3)
        #expect(b.events == [Event(t: 2, x: 2, y: 2, on: false), Event(t: 3, x: 3, y: 3, on: true)])
    }

    @Test("bulk appends commit only what the decoder wrote")
    func bulk() {
        let b = EventBuffer(capacity: 4)
        b.appendUnsafe(maxCount: 10) { t, x, y, p in
            for i in 0..<5 { t[i] = Int64(i); x[i] = 1; y[i] = 2; p[i] = 0 }
            return 5
        }
        #expect(b.count == 5)
        #expect(b[4] == Event(t: 4, x: 1, y: 2, on: false))
    }
}
