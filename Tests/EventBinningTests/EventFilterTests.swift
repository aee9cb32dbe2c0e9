import Testing
import DVSEvents
@testable import EventBinning

@Suite("Event filters")
struct EventFilterTests {
    let sensor = SensorSize(width: 10, height: 10)

    @Test("background activity: an event passes only with a neighbour event within the window")
    func backgroundActivity() {
        let filter = BackgroundActivityFilter(sensor: sensor, window: 100)
        let out = EventBuffer()
        filter.apply(events([(0, 5, 5, 1), (50, 6, 6, 0), (60, 0, 0, 1), (200, 5, 5, 1), (205, 9, 9, 1)]), into: out)
        // (6,6) has (5,5) 50 µs before; (5,5) at 200 has (6,6) 150 µs before: too old; isolated ones drop.
        #expect(out.events == [Event(t: 50, x: 6, y: 6, on: false)])
        #expect(filter.seen == 5 && filter.dropped == 4)
        // State carries across chunks, and a pixel does not support itself.
        filter.apply(events([(250, 6, 5, 1), (260, 9, 9, 1)]), into: out)
        #expect(out.events == [Event(t: 250, x: 6, y: 5, on: true)])
    }

    @Test("refractory period: a pixel stays silent for the period after an event passes")
    func refractory() {
        let filter = RefractoryFilter(sensor: sensor, period: 10)
        let out = EventBuffer()
        filter.apply(events([(0, 1, 1, 1), (5, 1, 1, 0), (9, 2, 2, 1), (10, 1, 1, 1), (12, 1, 1, 1)]), into: out)
        #expect(out.events.map(\.t) == [0, 9, 10])
        filter.apply(events([(19, 1, 1, 1), (20, 1, 1, 0)]), into: out)
        #expect(out.events.map(\.t) == [20])
        #expect(filter.dropped == 3)
    }

    @Test("events off the sensor are dropped by both filters")
    func offSensor() {
        let out = EventBuffer()
        let ev = events([(0, 10, 0, 1), (0, 0, 10, 1)])
        RefractoryFilter(sensor: sensor, period: 1).apply(ev, into: out)
        #expect(out.isEmpty)
        BackgroundActivityFilter(sensor: sensor, window: 1).apply(ev, into: out)
        #expect(out.isEmpty)
    }
}
