import DVSEvents
import EventBinning
import Foundation
import Testing
@testable import Pipeline

@Suite("RunningRMS: the learner's input scale")
struct RunningRMSTests {
    /// Uniform random events at `rate` per second for `seconds` on a 32×32 sensor, binned at `binWidth` to 2×16×16,
    /// each frame scaled by one running RMS; returns the RMS of the scaled frames of the last half second.
    static func scaledRMS(binWidth: Microseconds, rate: Int = 20_000, seconds: Int = 3) throws -> (raw: Float, scaled: Float) {
        let sensor = SensorSize(width: 32, height: 32)
        let events = EventBuffer()
        var state: UInt64 = 12345
        for k in 0..<(rate * seconds) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = state >> 16
            events.append(t: Int64(k) * 1_000_000 / Int64(rate), x: UInt16(r % 32), y: UInt16((r >> 8) % 32), p: UInt8((r >> 20) & 1))
        }
        let maker = try FrameMaker(settings: SessionSettings(sensor: sensor, binWidth: binWidth, learn: false), input: [2, 16, 16])
        var scale = RunningRMS()
        var raw: [Float] = [], scaled: [Float] = []
        maker.push(events) { frame in
            var values = frame.values
            let before = values.map { $0 * $0 }.reduce(0, +)
            scale.scale(&values, duration: frame.end - frame.start)
            if frame.start >= Microseconds(seconds) * 1_000_000 - 500_000 {
                raw.append((before / Float(values.count)).squareRoot())
                scaled.append((values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot())
            }
        }
        func mean(_ v: [Float]) -> Float { v.reduce(0, +) / Float(max(v.count, 1)) }
        return (mean(raw), mean(scaled))
    }

    @Test("a bin's input scale does not depend on Δt once scaled (raw, it grows with Δt)")
    func independentOfBinWidth() throws {
        let at10 = try Self.scaledRMS(binWidth: 10_000), at50 = try Self.scaledRMS(binWidth: 50_000)
        #expect(at50.raw > 3 * at10.raw, "raw RMS \(at10.raw) at 10 ms, \(at50.raw) at 50 ms")
        #expect(abs(at10.scaled - 1) < 0.1 && abs(at50.scaled - 1) < 0.1, "scaled RMS \(at10.scaled) at 10 ms, \(at50.scaled) at 50 ms")
    }

    @Test("empty frames stay empty and leave the state alone; the state follows a change of event rate in about 1 s")
    func emptyAndTracking() {
        var scale = RunningRMS()
        var empty = [Float](repeating: 0, count: 4)
        scale.scale(&empty, duration: 10_000)
        #expect(empty == [0, 0, 0, 0] && scale.rms == nil)
        var x: [Float] = [2, 2, 2, 2]
        scale.scale(&x, duration: 10_000)
        #expect(scale.rms == 2 && x == [1, 1, 1, 1])
        for _ in 0..<300 { var y: [Float] = [8, 8, 8, 8]; scale.scale(&y, duration: 10_000) }   // 3 s at 4× the rate
        #expect(abs((scale.rms ?? 0) - 8) < 0.5, "rms \(scale.rms ?? 0) after 3 s of a 4× brighter stream")
    }

    @Test("settings written before the recipe was recorded read as SGD per bin on raw input")
    func legacySettings() throws {
        var s = SessionSettings(sensor: SensorSize(width: 8, height: 8), binWidth: 5000, learn: true)
        #expect(s.optimizer == .adam && s.update == .perSegment && s.scaleInput
                && s.learningRate == LearningRecipe.standard.learningRate)
        #expect(s.warmUp == LearningRecipe.standard.warmUp && s.classMemory == .newClass)
        let data = try JSONEncoder().encode(s)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["optimizer", "update", "maxSegment", "scaleInput", "warmUp", "classMemory"] { object.removeValue(forKey: key) }
        let old = try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.optimizer == .sgd && old.update == .everyStep && !old.scaleInput && old.warmUp == 0 && old.classMemory == .off)
        object["warmUp"] = -3
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        }
        s.optimizer = .sgd
        #expect(try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(s)) == s)
    }
}
