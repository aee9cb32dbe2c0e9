import Foundation
import Testing
import DVSEvents
@testable import EventBinning

@Suite("DecayRenderer")
struct DecayRendererTests {
    /// The palette index of a pixel `age` µs after its last event, by the formula: round(levels·exp(−age/τ)).
    static func expected(age: Double, decay: Double, on: Bool) -> UInt8 {
        let level = Int((Double(DecayRenderer.levels) * exp(-age / decay)).rounded())
        return level == 0 ? 0 : UInt8(on ? level : DecayRenderer.levels + level)
    }

    @Test("frames come every step after the first event, each showing the last polarity fading exp(-age/τ)",
          arguments: [1, 2, 100])
    func fading(chunk: Int) {
        let sensor = SensorSize(width: 3, height: 2)
        let events = [Event(t: 1000, x: 2, y: 1, on: false), Event(t: 5000, x: 0, y: 0, on: true),
                      Event(t: 25_000, x: 1, y: 0, on: false), Event(t: 26_000, x: 7, y: 0, on: true)]
        var renderer = DecayRenderer(sensor: sensor, decay: 10_000, step: 10_000)
        var frames: [[UInt8]] = []
        for start in stride(from: 0, to: events.count, by: chunk) {
            let more = renderer.add(EventBuffer(events[start..<min(events.count, start + chunk)])) { k, indices in
                #expect(k == frames.count)
                frames.append(indices)
                return true
            }
            #expect(more)
        }
        renderer.finish { _, indices in frames.append(indices); return true }
        // Frames end at 11 000, 21 000 and 31 000 µs (the first event at 1000, the last at 26 000).
        #expect(frames.count == 3 && renderer.frameCount == 3)
        #expect(renderer.drawn == 3 && renderer.offSensor == 1)
        let e = Self.expected
        #expect(frames[0] == [e(6000, 1e4, true), 0, 0, 0, 0, e(10_000, 1e4, false)])
        #expect(frames[1] == [e(16_000, 1e4, true), 0, 0, 0, 0, e(20_000, 1e4, false)])
        #expect(frames[2] == [e(26_000, 1e4, true), e(6000, 1e4, false), 0, 0, 0, e(30_000, 1e4, false)])
        #expect(frames[0][0] == 70 && frames[0][5] == UInt8(DecayRenderer.levels) + 47)   // 127·e^-0.6, 127·e^-1
    }

    @Test("a gap makes a frame per step, fading to black; a frame callback that says stop stops the drawing")
    func gapAndStop() {
        var renderer = DecayRenderer(sensor: SensorSize(width: 1, height: 1), decay: 1000, step: 1000)
        var frames: [[UInt8]] = []
        let events = EventBuffer([Event(t: 0, x: 0, y: 0, on: true), Event(t: 20_500, x: 0, y: 0, on: true)])
        #expect(renderer.add(events) { _, f in frames.append(f); return true })
        #expect(frames.count == 20)
        #expect(frames.first == [Self.expected(age: 1000, decay: 1000, on: true)])
        #expect(frames.last == [0])
        var stopped = DecayRenderer(sensor: SensorSize(width: 1, height: 1), decay: 1000, step: 1000)
        var seen = 0
        #expect(!stopped.add(events) { k, _ in seen += 1; return k < 4 })
        #expect(seen == 5 && stopped.frameCount == 4)
    }

    @Test("the palette: black, then ON and OFF shades up to the frames' colours, at most 256 entries")
    func palette() {
        let p = DecayRenderer.palette, n = DecayRenderer.levels
        #expect(p.count == 2 * n + 1 && p.count <= 256)
        #expect(p[0] == (0, 0, 0))
        #expect(p[n] == (255, UInt8((Frames.onColour.1 * 255).rounded()), 0))
        #expect(p[2 * n] == (0, UInt8((Frames.offColour.1 * 255).rounded()), 255))
        #expect(p[1].red < p[n / 2].red && p[n / 2].red < p[n].red)
    }

    @Test("frame offsets are k·step rounded, so 30 frames a second keep to the stream's clock")
    func offsets() {
        #expect((0...3).map { DecayRenderer.offset(ofFrame: $0, step: 1e6 / 30) } == [0, 33_333, 66_667, 100_000])
        #expect(DecayRenderer.offset(ofFrame: Int.max, step: 1e6) == .max)
    }

    @Test("magnified indices and the RGB picture repeat each pixel")
    func magnify() {
        let sensor = SensorSize(width: 2, height: 1)
        #expect(DecayRenderer.magnified([1, 2], sensor: sensor, by: 2) == [1, 1, 2, 2, 1, 1, 2, 2])
        let image = DecayRenderer.image([0, UInt8(DecayRenderer.levels)], sensor: sensor, magnify: 2)
        #expect(image.width == 4 && image.height == 2)
        #expect(Array(image.rgb[0..<3]) == [0, 0, 0] && image.rgb[6] == 255 && image.rgb[18] == 255)
    }
}
