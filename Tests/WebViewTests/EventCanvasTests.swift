import DVSEvents
import Testing
@testable import WebView

@Suite("EventCanvas")
struct EventCanvasTests {
    @Test("events wait for the learner's stream time, then show as 2-bit marks")
    func marks() {
        let canvas = EventCanvas(sensor: SensorSize(width: 4, height: 2))
        canvas.add(EventBuffer([Event(t: 10, x: 1, y: 0, on: true), Event(t: 20, x: 2, y: 1, on: false), Event(t: 30, x: 9, y: 0, on: true)]))
        #expect(canvas.take().events == 1)                        // off the sensor: counted at once, not drawn
        canvas.advance(to: 15)
        let first = canvas.take()
        #expect(first.events == 1 && first.packed == [0b0000_0100, 0])
        canvas.advance(to: 100)
        let second = canvas.take()
        #expect(second.events == 1 && second.packed == [0, 0b0010_0000])   // pixel 6: OFF, the high bit of its pair
        #expect(canvas.take().events == 0)
    }

    @Test("beyond what it holds, events show at once: memory stays bounded")
    func bounded() {
        let canvas = EventCanvas(sensor: SensorSize(width: 2, height: 2), held: 2)
        canvas.add(EventBuffer((0..<5).map { Event(t: Int64($0), x: 0, y: 0, on: true) }))
        #expect(canvas.take().events == 3)
    }
}
