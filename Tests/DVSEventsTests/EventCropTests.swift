import Testing
import DVSEvents

@Suite("EventCrop")
struct EventCropTests {
    /// Events every 100 µs from t = 1000 on a 10×8 sensor, walking the pixels.
    static func stream(_ n: Int) -> [Event] {
        (0..<n).map { (i: Int) -> Event in
            let t: Int64 = 1000 + Int64(i) * 100
            return Event(t: t, x: UInt16(i % 10), y: UInt16(i % 8), on: i % 3 == 0)
        }
    }

    /// Runs `crop` over `events` in chunks of `chunk` and returns what it kept.
    static func run(_ crop: inout EventCrop, _ events: [Event], chunk: Int) -> [Event] {
        var kept: [Event] = []
        let output = EventBuffer()
        for start in stride(from: 0, to: events.count, by: chunk) {
            crop.apply(EventBuffer(events[start..<min(events.count, start + chunk)]), into: output)
            kept += output.events
        }
        return kept
    }

    @Test("keeps [from, until) after the first event and the area's pixels, shifted to the origin, in any chunking",
          arguments: [1, 7, 1000])
    func timeAndArea(chunk: Int) throws {
        let sensor = SensorSize(width: 10, height: 8)
        let area = EventCrop.Area(x: 2, y: 1, width: 5, height: 4)
        var crop = try EventCrop(from: 1500, until: 6000, area: area, sensor: sensor)
        let events = Self.stream(200)
        let expected: [Event] = events.filter { (e: Event) -> Bool in
            let inTime = e.t >= 2500 && e.t < 7000
            return inTime && (2..<7).contains(Int(e.x)) && (1..<5).contains(Int(e.y))
        }.map { (e: Event) -> Event in Event(t: e.t, x: e.x - 2, y: e.y - 1, on: e.on) }
        let kept = Self.run(&crop, events, chunk: chunk)
        #expect(!expected.isEmpty)
        #expect(kept == expected)
        #expect(crop.isPastEnd)
        #expect(crop.seen == 200 && crop.kept == expected.count)
        #expect(kept.allSatisfy { Int($0.x) < 5 && Int($0.y) < 4 })
        #expect(crop.sensor(cropping: sensor) == SensorSize(width: 5, height: 4))
    }

    @Test("without an end nothing is past it, and without an area the sensor stays")
    func openEnded() throws {
        let sensor = SensorSize(width: 10, height: 8)
        var crop = try EventCrop(from: 10_000, sensor: sensor)
        let kept = Self.run(&crop, Self.stream(200), chunk: 64)
        #expect(kept.count == 100)
        #expect(kept.first?.t == 11_000)
        #expect(!crop.isPastEnd)
        #expect(crop.sensor(cropping: sensor) == sensor)
    }

    @Test("empty ranges and areas off the sensor are refused with the values", arguments: [
        (Int64(0), Int64?.some(0), EventCrop.Area?.none, "not after the start"),
        (2000, 1000, nil, "not after the start"),
        (-1, nil, nil, "before the first event"),
        (0, nil, EventCrop.Area(x: 6, y: 0, width: 5, height: 8), "6,0,5,8"),
        (0, nil, EventCrop.Area(x: 0, y: 0, width: 0, height: 8), "no pixels"),
        (0, nil, EventCrop.Area(x: -1, y: 0, width: 2, height: 2), "does not lie on the 10×8 sensor"),
        (0, nil, EventCrop.Area(x: Int.max, y: 0, width: 2, height: 2), "does not lie"),
    ])
    func refused(from: Int64, until: Int64?, area: EventCrop.Area?, message: String) {
        #expect {
            try EventCrop(from: from, until: until, area: area, sensor: SensorSize(width: 10, height: 8))
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
