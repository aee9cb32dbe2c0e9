import Testing
import DVSEvents
@testable import EventBinning

@Suite("EventBinner time ranges")
struct EventBinnerTimeRangesTests {
    /// Events at t = 100, 110, …, 100 + 10·(n − 1) on a 4×4 sensor.
    static func events(_ n: Int) -> EventBuffer {
        EventBuffer((0..<n).map { Event(t: 100 + Int64($0) * 10, x: UInt16($0 % 4), y: 0, on: true) })
    }

    @Test("one range per frame: windows on the grid, equal time bins, the events of each count slice", arguments: [
        (FrameSlicing.window(duration: 25), [100..<125, 125..<150, 150..<175, 175..<200]),
        (.timeBins(frames: 3, tail: .lastFrameTakesRest), [100..<130, 130..<160, 160..<191]),
        (.timeBins(frames: 3, tail: .drop), [100..<130, 130..<160, 160..<190]),
        (.eventCount(frames: 3), [100..<121, 130..<151, 160..<191]),
        (.eventCount(frames: 12), Array(repeating: 100..<100, count: 11) + [100..<191]),
    ] as [(FrameSlicing, [Range<Int64>])])
    func ranges(slicing: FrameSlicing, expected: [Range<Int64>]) {
        let binner = EventBinner(sensor: SensorSize(width: 4, height: 4), slicing: slicing)
        let events = Self.events(10)
        let ranges = binner.timeRanges(of: events)
        #expect(ranges == expected)
        #expect(ranges.count == binner.frames(of: events).frames.count)
    }

    @Test("times at Int64's end saturate instead of trapping")
    func saturates() {
        let events = EventBuffer([Event(t: .max - 5, x: 0, y: 0, on: true), Event(t: .max, x: 1, y: 0, on: false)])
        let ranges = EventBinner(sensor: SensorSize(width: 4, height: 4), slicing: .window(duration: 4)).timeRanges(of: events)
        #expect(ranges.last?.upperBound == .max)
        #expect(ranges.count == 2)
    }
}
