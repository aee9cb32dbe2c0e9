import DVSEvents
import EventFormats

/// Deterministic pseudo-random events in time order on a sensor, with runs of equal timestamps and the four
/// corners, for round trips.
func syntheticEvents(count: Int, sensor: SensorSize, start: Microseconds = 1_700_000_000_000_000,
                     maxStep: UInt64 = 40, seed: UInt64 = 0x5EED) -> [Event] {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
    var t = start
    var out: [Event] = []
    out.reserveCapacity(count)
    let corners = [(0, 0), (sensor.width - 1, 0), (0, sensor.height - 1), (sensor.width - 1, sensor.height - 1)]
    for i in 0..<count {
        if next() % 3 != 0 { t += Microseconds(next() % maxStep) }
        let (x, y) = i < corners.count ? corners[i] : (Int(next() % UInt64(sensor.width)), Int(next() % UInt64(sensor.height)))
        out.append(Event(t: t, x: UInt16(x), y: UInt16(y), on: next() & 1 == 1))
    }
    return out
}

/// Writes `events` with `writer` in chunks of `chunk` and finishes the file.
func write(_ events: [Event], with writer: any EventFileWriter, chunk: Int = 1000) throws {
    var i = 0
    while i < events.count {
        let buffer = EventBuffer(events[i..<min(i + chunk, events.count)])
        try writer.write(buffer)
        i += chunk
    }
    try writer.finish()
}
