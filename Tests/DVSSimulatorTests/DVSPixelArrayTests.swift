import DVSEvents
import Foundation
import Pictures
import Testing
@testable import DVSSimulator

@Suite("DVSPixelArray")
struct DVSPixelArrayTests {
    /// One pixel whose log intensity goes 0 → 0.9 over (0, 1000] µs, then 0.9 → 0.35 over (1000, 2000] µs.
    func ramp(_ parameters: PixelParameters) -> [Event] {
        var pixels = DVSPixelArray(sensor: SensorSize(width: 1, height: 1), parameters: parameters, seed: 1)
        var random = SimulatorRandom(seed: 1)
        let events = EventBuffer()
        pixels.reset(logIntensity: [0], at: 0, random: &random)
        pixels.step(logIntensity: [0.9], at: 1000, random: &random, into: events)
        pixels.step(logIntensity: [0.35], at: 2000, random: &random, into: events)
        return events.events
    }

    @Test("a log-intensity ramp crosses the thresholds at the linearly interpolated times")
    func interpolatedCrossings() {
        // θ = 0.2. Rising: D = 0.9·s reaches 0.2, 0.4, 0.6, 0.8 at s = 2/9, 4/9, 6/9, 8/9 → 222, 444, 667, 889 µs.
        // The reference is then 0.8, so D goes 0.1 → −0.45 over the second interval and reaches −0.2 at
        // s = 0.3/0.55 and −0.4 at s = 0.5/0.55 → 1545 and 1909 µs.
        let expected = [
            Event(t: 222, x: 0, y: 0, on: true), Event(t: 444, x: 0, y: 0, on: true),
            Event(t: 667, x: 0, y: 0, on: true), Event(t: 889, x: 0, y: 0, on: true),
            Event(t: 1545, x: 0, y: 0, on: false), Event(t: 1909, x: 0, y: 0, on: false),
        ]
        #expect(ramp(.ideal) == expected)
    }

    @Test("the refractory period drops events but the reference still moves")
    func refractory() {
        var p = PixelParameters.ideal
        p.refractoryPeriod = 300
        // 444 is 222 µs after 222 and 889 is 222 µs after 667: both dropped. The OFF events are unchanged,
        // which shows that the dropped crossings still raised the reference.
        #expect(ramp(p).map(\.t) == [222, 667, 1545, 1909])
    }

    @Test("unequal ON and OFF thresholds are used for their own polarity")
    func asymmetricThresholds() {
        var p = PixelParameters.ideal
        p.onThreshold = 0.35
        p.offThreshold = 0.1
        // Rising: 0.35, 0.7 at s = 0.35/0.9, 0.7/0.9 → 389, 778; reference 0.7. Falling: D 0.2 → −0.35, OFF at −0.1,
        // −0.2, −0.3: s = 0.3/0.55, 0.4/0.55, 0.5/0.55 → 1545, 1727, 1909.
        let events = ramp(p)
        #expect(events.map(\.t) == [389, 778, 1545, 1727, 1909])
        #expect(events.map(\.on) == [true, true, false, false, false])
    }

    @Test("per-pixel thresholds scatter around the nominal with the given sigma")
    func mismatch() {
        let pixels = DVSPixelArray(sensor: SensorSize(width: 64, height: 64), parameters: PixelParameters(), seed: 3)
        for thresholds in [pixels.onThresholds, pixels.offThresholds] {
            let n = Float(thresholds.count)
            let mean = thresholds.reduce(0, +) / n
            let sd = (thresholds.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
            #expect(abs(mean - 0.2) < 0.003)
            #expect(abs(sd - 0.03) < 0.003)
        }
        let again = DVSPixelArray(sensor: SensorSize(width: 64, height: 64), parameters: PixelParameters(), seed: 3)
        #expect(again.onThresholds == pixels.onThresholds)
    }

    /// Events of a still frame of intensity `value` watched for one second at 1 kHz.
    func stillFrame(_ parameters: PixelParameters, value: Float) -> EventBuffer {
        let sensor = SensorSize(width: 32, height: 32)
        var pixels = DVSPixelArray(sensor: sensor, parameters: parameters, seed: 5)
        var random = SimulatorRandom(seed: 5)
        let frame = GrayImage(width: 32, height: 32, value: value)
        let events = EventBuffer()
        pixels.reset(to: frame, at: 0, random: &random)
        for k in 1...1000 { pixels.step(to: frame, at: Microseconds(k) * 1000, random: &random, into: events) }
        return events
    }

    @Test("the leak makes ON background activity at about the leak rate")
    func leakRate() {
        var p = PixelParameters()
        p.shotNoiseRate = 0
        p.leakRate = 5
        let events = stillFrame(p, value: 0.5)
        // Expect 5 Hz × 1024 pixels × 1 s ≈ 5120, less up to half a period lost to the reset jitter.
        #expect((3500...6500).contains(events.count), "\(events.count) leak events")
        #expect(events.p.allSatisfy { $0 == 1 })
    }

    @Test("shot noise comes at about its rate, half ON, and a quarter as often at full intensity")
    func shotNoise() {
        var p = PixelParameters()
        p.leakRate = 0
        p.shotNoiseRate = 10
        let dark = stillFrame(p, value: 0)
        let bright = stillFrame(p, value: 1)
        // 10 Hz × 1024 × 1 s = 10240 in the dark (Poisson sd ≈ 100, refractory losses ≈ 1 %); 2560 at intensity 1.
        #expect((9000...11000).contains(dark.count), "\(dark.count) dark noise events")
        #expect((2100...3000).contains(bright.count), "\(bright.count) bright noise events")
        let on = dark.p.filter { $0 == 1 }.count
        #expect(abs(Double(on) / Double(dark.count) - 0.5) < 0.04)
        #expect(zip(dark.t, dark.t.dropFirst()).allSatisfy { $0 <= $1 }, "events are in time order")
    }

    @Test("its own logarithm agrees with the C library's to 1e-6 from black to white")
    func logarithm() {
        var worst = 0.0
        for k in 0...10_000 {
            let intensity = Float(k) / 10_000
            let own = Double(DVSPixelArray.logIntensity(intensity, epsilon: 0.01))
            worst = max(worst, abs(own - log(Double(intensity) + Double(Float(0.01)))))
        }
        #expect(worst < 1e-6, "largest difference \(worst)")
    }

    @Test("an ideal pixel array watching a still frame says nothing")
    func silence() {
        #expect(stillFrame(.ideal, value: 0.3).isEmpty)
    }
}
