import Testing
import DVSEvents
@testable import EventBinning

/// Events from (t, x, y, p) tuples.
func events(_ list: [(Int64, UInt16, UInt16, UInt8)]) -> EventBuffer {
    let b = EventBuffer(capacity: max(1, list.count))
    for e in list { b.append(t: e.0, x: e.1, y: e.2, p: e.3) }
    return b
}

/// A reproducible stream of random events on `sensor`, time-sorted with steps of 0…`maxStep` µs.
func randomEvents(_ n: Int, sensor: SensorSize, seed: UInt64, maxStep: Int64 = 20, start: Int64 = 1_000) -> EventBuffer {
    var rng = SplitMix(seed)
    let b = EventBuffer(capacity: max(1, n))
    var t = start
    for _ in 0..<n {
        t += Int64(rng.next() % UInt64(maxStep + 1))
        b.append(t: t, x: UInt16(rng.next() % UInt64(sensor.width)), y: UInt16(rng.next() % UInt64(sensor.height)),
                 p: UInt8(rng.next() & 1))
    }
    return b
}

struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The frame index of every event under a slicing, computed the slow obvious way (the peers' formulas).
func referenceFrames(_ ev: EventBuffer, sensor: SensorSize, frameOf: (Int, Int64) -> Int?, count: Int,
                     value: FrameValue = .counts) -> Frames {
    var f = Frames(count: count, height: sensor.height, width: sensor.width)
    for i in 0..<ev.count {
        let e = ev[i]
        guard let k = frameOf(i, e.t), Int(e.x) < sensor.width, Int(e.y) < sensor.height else { continue }
        let c = e.on ? 1 : 0
        f[k, c, Int(e.y), Int(e.x)] = value == .counts ? f[k, c, Int(e.y), Int(e.x)] + 1 : 1
    }
    return f
}

@Suite("EventBinner")
struct EventBinnerTests {
    let sensor = SensorSize(width: 8, height: 6)

    @Test("split by number: N / T events per frame, the last takes the remainder (SpikingJelly)")
    func byCount() {
        let ev = randomEvents(103, sensor: sensor, seed: 1)
        let (frames, report) = EventBinner(sensor: sensor, slicing: .eventCount(frames: 10)).frames(of: ev)
        let expected = referenceFrames(ev, sensor: sensor, frameOf: { i, _ in min(i / 10, 9) }, count: 10)
        #expect(frames == expected)
        #expect(report.binned == 103)
        for k in 0..<9 { #expect(frames.frame(k).reduce(0, +) == 10) }
        #expect(frames.frame(9).reduce(0, +) == 13)
    }

    @Test("channel 0 is OFF and channel 1 is ON, indexed [t, c, y, x]")
    func layout() {
        let ev = events([(0, 7, 5, 1), (1, 2, 3, 0), (2, 2, 3, 0)])
        let (f, _) = EventBinner(sensor: sensor, slicing: .eventCount(frames: 1)).frames(of: ev)
        #expect(f[0, 1, 5, 7] == 1)
        #expect(f[0, 0, 3, 2] == 2)
        #expect(f.values[((0 * 2 + 1) * 6 + 5) * 8 + 7] == 1)
        #expect(f.total(channel: 0) == 2 && f.total(channel: 1) == 1)
        let (b, _) = EventBinner(sensor: sensor, slicing: .eventCount(frames: 1), value: .binary).frames(of: ev)
        #expect(b[0, 0, 3, 2] == 1)
    }

    @Test("split by time, SpikingJelly: dt = span / T, the last frame runs to the last event")
    func byTimeSpikingJelly() {
        let ev = randomEvents(500, sensor: sensor, seed: 2)
        let t0 = ev.t.first!, dt = (ev.t.last! - t0) / 7
        let (f, report) = EventBinner(sensor: sensor, slicing: .timeBins(frames: 7)).frames(of: ev)
        let expected = referenceFrames(ev, sensor: sensor, frameOf: { _, t in min(Int((t - t0) / dt), 6) }, count: 7)
        #expect(f == expected)
        #expect(report.binned == 500)
    }

    @Test("split by time, tonic: events at or after t0 + T·dt are dropped, including the last when it divides evenly")
    func byTimeTonic() {
        let ev = events([(100, 0, 0, 1), (104, 1, 0, 1), (110, 2, 0, 0), (120, 3, 0, 1)])   // span 20, T 4, dt 5
        let (f, report) = EventBinner(sensor: sensor, slicing: .timeBins(frames: 4, tail: .drop)).frames(of: ev)
        #expect(report.outsideFrames == 1)
        #expect(f[0, 1, 0, 0] == 1 && f[0, 1, 0, 1] == 1 && f[2, 0, 0, 2] == 1)
        #expect(f.values.reduce(0, +) == 3)
    }

    @Test("fixed windows on a grid hold every event; empty windows stay empty; events before start are dropped")
    func windows() {
        let ev = events([(10, 0, 0, 1), (19, 1, 0, 1), (20, 2, 0, 1), (55, 3, 0, 0)])
        let (f, r) = EventBinner(sensor: sensor, slicing: .window(duration: 10)).frames(of: ev)
        #expect(f.count == 5)     // [10,20) [20,30) [30,40) [40,50) [50,60)
        #expect(f.frame(0).reduce(0, +) == 2 && f.frame(1).reduce(0, +) == 1)
        #expect(f.frame(2).reduce(0, +) == 0 && f.frame(3).reduce(0, +) == 0 && f[4, 0, 0, 3] == 1)
        #expect(r.binned == 4)
        let (g, r2) = EventBinner(sensor: sensor, slicing: .window(duration: 10, start: 15)).frames(of: ev)
        #expect(g.count == 5 && r2.outsideFrames == 1)
    }

    @Test("unsorted times give the same frames as sorted ones")
    func unsorted() {
        let ev = events([(30, 1, 1, 1), (10, 0, 0, 1), (25, 2, 2, 0), (12, 3, 3, 1)])
        let sorted = events([(10, 0, 0, 1), (12, 3, 3, 1), (25, 2, 2, 0), (30, 1, 1, 1)])
        let binner = EventBinner(sensor: sensor, slicing: .window(duration: 5, start: 10))
        #expect(binner.frames(of: ev).frames == binner.frames(of: sorted).frames)
    }

    @Test("events off the pixel array are counted, not written")
    func offSensor() {
        let ev = events([(0, 8, 0, 1), (1, 0, 6, 0), (2, 7, 5, 0), (3, 65535, 65535, 1)])
        let (f, r) = EventBinner(sensor: sensor, slicing: .eventCount(frames: 2)).frames(of: ev)
        #expect(r.offSensor == 3 && r.binned == 1)
        #expect(f.values.reduce(0, +) == 1)
    }

    @Test("no events: T empty frames for fixed counts, none for windows; identical times go to one frame")
    func degenerate() {
        let empty = EventBuffer()
        #expect(EventBinner(sensor: sensor, slicing: .eventCount(frames: 3)).frames(of: empty).frames.count == 3)
        #expect(EventBinner(sensor: sensor, slicing: .timeBins(frames: 3)).frames(of: empty).frames.count == 3)
        #expect(EventBinner(sensor: sensor, slicing: .window(duration: 3)).frames(of: empty).frames.count == 0)
        let same = events([(5, 0, 0, 1), (5, 1, 0, 1), (5, 2, 0, 1)])
        let (f, r) = EventBinner(sensor: sensor, slicing: .timeBins(frames: 3)).frames(of: same)
        #expect(r.binned == 3 && f.frame(2).reduce(0, +) == 3)
        let (_, r2) = EventBinner(sensor: sensor, slicing: .eventCount(frames: 5)).frames(of: events([(1, 0, 0, 1)]))
        #expect(r2.binned == 1)
    }
}
