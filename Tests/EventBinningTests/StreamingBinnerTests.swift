import Testing
import DVSEvents
@testable import EventBinning

/// Runs a streaming binner over `events` cut into chunks of `chunk` and collects its frames.
func stream(_ events: EventBuffer, sensor: SensorSize, width: Int64, start: Int64? = nil, chunk: Int)
    -> (frames: [(index: Int, start: Int64, values: [Float])], report: StreamingReport) {
    let binner = StreamingBinner(sensor: sensor, binWidth: width, start: start)
    var out: [(index: Int, start: Int64, values: [Float])] = []
    let piece = EventBuffer(capacity: chunk)
    var i = 0
    while i < events.count {
        piece.removeAll()
        piece.append(contentsOf: events, range: i..<min(events.count, i + chunk))
        binner.push(piece) { out.append(($0.index, $0.start, Array($0.values))) }
        i += chunk
    }
    binner.finish { out.append(($0.index, $0.start, Array($0.values))) }
    return (out, binner.report)
}

@Suite("StreamingBinner")
struct StreamingBinnerTests {
    let sensor = SensorSize(width: 16, height: 12)

    @Test("equals the offline window frames on the same events, whatever the chunking", arguments: [1, 7, 1000, 100_000])
    func equalsOffline(chunk: Int) {
        // Bursty events with silent gaps several bins long.
        let ev = EventBuffer()
        var rng = SplitMix(5)
        var t: Int64 = 12_345
        for k in 0..<5000 {
            t += k % 700 == 0 ? Int64(rng.next() % 9000) : Int64(rng.next() % 7)
            ev.append(t: t, x: UInt16(rng.next() % 16), y: UInt16(rng.next() % 12), p: UInt8(rng.next() & 1))
        }
        let (offline, report) = EventBinner(sensor: sensor, slicing: .window(duration: 1000)).frames(of: ev)
        #expect(report.binned == 5000)
        let (streamed, sreport) = stream(ev, sensor: sensor, width: 1000, chunk: chunk)
        #expect(streamed.count == offline.count)
        #expect(sreport.emitted == offline.count && sreport.late == 0)
        #expect(offline.values.contains(0) && (0..<offline.count).contains { offline.frame($0).allSatisfy { $0 == 0 } })
        for (k, f) in streamed.enumerated() {
            #expect(f.index == k && f.start == ev.t[0] + Int64(k) * 1000)
            #expect(f.values == Array(offline.frame(k)), "frame \(k) differs")
        }
    }

    @Test("an explicit start aligns the bins; events before it and late events are counted, not binned")
    func startAndLate() {
        let ev = events([(95, 0, 0, 1), (100, 1, 0, 1), (130, 2, 0, 1), (120, 3, 0, 0), (131, 4, 0, 0)])
        let (frames, report) = stream(ev, sensor: sensor, width: 10, start: 100, chunk: 2)
        #expect(report.beforeStart == 1 && report.late == 1)
        #expect(frames.map(\.start) == [100, 110, 120, 130])
        #expect(frames[3].values.reduce(0, +) == 2)
    }

    @Test("advance(to:) closes bins on the clock without events; finish emits only a bin holding events")
    func clock() {
        let binner = StreamingBinner(sensor: sensor, binWidth: 10, start: 0)
        var starts: [Int64] = []
        binner.push(events([(3, 0, 0, 1)])) { starts.append($0.start) }
        binner.advance(to: 29) { starts.append($0.start) }
        #expect(starts == [0, 10])
        binner.advance(to: 30) { starts.append($0.start) }
        #expect(starts == [0, 10, 20])
        binner.finish { starts.append($0.start) }
        #expect(starts == [0, 10, 20])
        var kept: [Frames] = []
        binner.push(events([(31, 2, 3, 1), (45, 0, 0, 0)])) { kept.append($0.frames()) }
        #expect(kept.count == 1 && kept[0].count == 1 && kept[0][0, 1, 3, 2] == 1 && kept[0].values.reduce(0, +) == 1)
    }

    @Test("a clock jump beyond maxSilentFrames skips ahead instead of emitting billions of empty frames")
    func jump() {
        let binner = StreamingBinner(sensor: sensor, binWidth: 1, start: 0, maxSilentFrames: 100)
        var indices: [Int] = []
        binner.push(events([(0, 0, 0, 1), (1_000_000_000_000, 1, 1, 0)])) { indices.append($0.index) }
        binner.finish { indices.append($0.index) }
        #expect(indices == [0, 1_000_000_000_000])
        #expect(binner.report.skippedFrames == 1_000_000_000_000 - 1)
    }

    @Test("consumes any EventSource chunk by chunk, as the offline window binner bins it")
    func source() throws {
        let ev = randomEvents(3000, sensor: sensor, seed: 8, maxStep: 40)
        var frames: [[Float]] = []
        try StreamingBinner(sensor: sensor, binWidth: 5000).consume(ChunkedSource(ev, chunk: 333)) { frames.append(Array($0.values)) }
        let offline = EventBinner(sensor: sensor, slicing: .window(duration: 5000)).frames(of: ev).frames
        #expect(frames.count == offline.count && frames.count > 3)
        #expect(frames.enumerated().allSatisfy { $0.element == Array(offline.frame($0.offset)) })
    }
}

/// An EventSource over a buffer, delivering `chunk` events at a time.
final class ChunkedSource: EventSource {
    let info = StreamInfo(format: "test", sensor: SensorSize(width: 16, height: 12))
    let events: EventBuffer, chunk: Int
    var next = 0
    init(_ events: EventBuffer, chunk: Int) { self.events = events; self.chunk = chunk }
    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        guard next < events.count else { return false }
        buffer.append(contentsOf: events, range: next..<min(events.count, next + chunk))
        next += chunk
        return true
    }
}

@Suite("StreamingBinner at the ends of 64-bit time")
struct StreamingBinnerTimeEndsTests {
    @Test("times near Int64.max and a span of 2^63 µs end, with the unrepresentable event counted")
    func wrappedTarget() {
        let binner = StreamingBinner(sensor: SensorSize(width: 4, height: 4), binWidth: 1_000)
        let chunk = EventBuffer([Event(t: .min + 10, x: 1, y: 1, on: true), Event(t: .max - 5_000, x: 2, y: 2, on: false),
                                 Event(t: .max, x: 3, y: 3, on: true)])
        var frames = 0
        binner.push(chunk) { _ in frames += 1 }
        binner.finish { _ in frames += 1 }
        #expect(frames <= 3)
        #expect(binner.report.outOfRange == 1)
        #expect(binner.report.skippedFrames > 0)
    }
}
