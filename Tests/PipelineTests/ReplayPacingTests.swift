import DVSEvents
import Foundation
import Testing
@testable import Pipeline

/// A clock that never sleeps: `sleep(until:)` moves time forward and remembers the deadline.
final class ManualClock: PipelineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Double
    private(set) var deadlines: [Double] = []

    init(start: Double = 100) { time = start }

    func now() -> Double { lock.lock(); defer { lock.unlock() }; return time }

    func sleep(until deadline: Double) {
        lock.lock(); defer { lock.unlock() }
        deadlines.append(deadline)
        time = max(time, deadline)
    }

    func advance(by seconds: Double) { lock.lock(); time += seconds; lock.unlock() }
}

/// A source that hands out a fixed list of events in chunks of `chunk`.
final class ArraySource: EventSource {
    let info: StreamInfo
    private let events: [Event]
    private let chunk: Int
    private var next = 0

    init(_ events: [Event], sensor: SensorSize = SensorSize(width: 8, height: 8), chunk: Int = 1000) {
        self.events = events
        self.chunk = chunk
        info = StreamInfo(format: "test", sensor: sensor)
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        guard next < events.count else { return false }
        for e in events[next..<min(next + chunk, events.count)] { buffer.append(e) }
        next = min(next + chunk, events.count)
        return true
    }
}

@Suite("Replay pacing at wall-clock rate")
struct ReplayPacingTests {
    /// Events every 250 µs from t = 5 s for 20 ms.
    static let events = (0..<80).map { Event(t: 5_000_000 + Int64($0) * 250, x: 1, y: 2, on: $0 % 2 == 0) }

    @Test("speed 1 releases each 10 ms slice when the clock reaches its last event")
    func realTime() throws {
        let clock = ManualClock(start: 100)
        let paced = PacedEventSource(ArraySource(Self.events), speed: .factor(1), slice: 10_000, clock: clock)
        let buffer = EventBuffer()
        var slices: [[Event]] = []
        while try paced.read(into: buffer) { slices.append(buffer.events) }
        #expect(slices.map(\.count) == [40, 40])
        #expect(slices.flatMap { $0 } == Self.events)
        // Anchored at 100 s = 5 s of stream: the last events of the slices are at +9.75 ms and +19.75 ms.
        #expect(clock.deadlines.count == 2)
        #expect(abs(clock.deadlines[0] - 100.00975) < 1e-9)
        #expect(abs(clock.deadlines[1] - 100.01975) < 1e-9)
    }

    @Test("speed 4 takes a quarter of the time")
    func fourTimes() throws {
        let clock = ManualClock(start: 0)
        let paced = PacedEventSource(ArraySource(Self.events, chunk: 7), speed: .factor(4), slice: 10_000, clock: clock)
        let all = try paced.readAll()
        #expect(all.events == Self.events)
        #expect(abs(clock.now() - 0.019750 / 4) < 1e-9)
        #expect(clock.deadlines == clock.deadlines.sorted())
    }

    @Test("max never waits")
    func asFastAsPossible() throws {
        let clock = ManualClock(start: 0)
        let paced = PacedEventSource(ArraySource(Self.events), speed: .max, slice: 10_000, clock: clock)
        #expect(try paced.readAll().count == 80)
        #expect(clock.deadlines.isEmpty)
        #expect(paced.due(5_000_000) == nil)
    }

    @Test("a late consumer is not made to wait again: deadlines in the past return at once")
    func catchesUp() throws {
        let clock = ManualClock(start: 0)
        let paced = PacedEventSource(ArraySource(Self.events), speed: .factor(1), slice: 5_000, clock: clock)
        let buffer = EventBuffer()
        _ = try paced.read(into: buffer)
        clock.advance(by: 1)                                        // the learner stalled for a second
        var n = buffer.count
        while try paced.read(into: buffer) { n += buffer.count }
        #expect(n == 80)
        #expect(clock.now() == clock.deadlines.first! + 1)          // no further sleeping happened
    }

    @Test("speeds parse", arguments: [("1", ReplaySpeed.factor(1)), ("4", .factor(4)), ("0.5", .factor(0.5)), ("max", .max)])
    func parse(text: String, speed: ReplaySpeed) {
        #expect(ReplaySpeed(parsing: text) == speed)
    }

    @Test("bad speeds do not parse", arguments: ["0", "-1", "fast", "inf", "nan"])
    func badSpeed(text: String) {
        #expect(ReplaySpeed(parsing: text) == nil)
    }
}
