import DVSEvents
import Foundation
import Testing
@testable import DVSSimulator

/// Short samples at 500 Hz keep these tests fast in debug builds.
let quickSettings = SimulationSettings(sensor: SensorSize(width: 32, height: 32), frameInterval: 2000,
                                       sampleDuration: 150_000)

/// Event counts per pixel of the events in [from, to), [H·W].
func countImage(_ events: EventBuffer, from: Microseconds = .min, to: Microseconds = .max, width: Int = 32,
                height: Int = 32) -> [Double] {
    var image = [Double](repeating: 0, count: width * height)
    for i in 0..<events.count where events.t[i] >= from && events.t[i] < to {
        image[Int(events.y[i]) * width + Int(events.x[i])] += 1
    }
    return image
}

func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let dot = zip(a, b).map(*).reduce(0, +)
    let na = a.map { $0 * $0 }.reduce(0, +).squareRoot(), nb = b.map { $0 * $0 }.reduce(0, +).squareRoot()
    return dot / max(na * nb, 1e-12)
}

@Suite("SyntheticTask")
struct SyntheticTaskTests {
    @Test("labels come in balanced shuffled blocks fixed by the seed", arguments: SyntheticTask.builtIn.map(\.name))
    func balancedLabels(_ name: String) {
        let task = SyntheticTask.named(name)!
        let labels = (0..<30).map { task.label(ofSample: $0, seed: 9) }
        for block in 0..<3 { #expect(Set(labels[(block * 10)..<(block * 10 + 10)]) == Set(0..<10)) }
        #expect(labels != Array(0..<30).map { $0 % 10 }, "blocks are shuffled")
        #expect(labels == (0..<30).map { task.label(ofSample: $0, seed: 9) })
        #expect(labels != (0..<30).map { task.label(ofSample: $0, seed: 10) })
    }

    @Test("every class of every task makes events, in time order, on the sensor", arguments: SyntheticTask.builtIn.map(\.name))
    func everyClassMakesEvents(_ name: String) {
        let task = SyntheticTask.named(name)!
        var generator = SampleGenerator(task: task, settings: quickSettings, seed: 4)
        var seen = Set<Int>()
        for i in 0..<10 {
            let events = EventBuffer()
            let span = generator.generate(sample: i, startingAt: 1_000_000, into: events)
            seen.insert(span.label)
            #expect((300...20_000).contains(events.count), "\(name) sample \(i) (label \(span.label)): \(events.count) events")
            #expect(events.t.allSatisfy { $0 >= span.start && $0 < span.end })
            #expect(zip(events.t, events.t.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(events.x.allSatisfy { $0 < 32 } && events.y.allSatisfy { $0 < 32 })
            let on = Double(events.p.filter { $0 == 1 }.count) / Double(max(events.count, 1))
            #expect((0.3...0.7).contains(on), "ON fraction \(on)")
        }
        #expect(seen == Set(0..<10))
    }

    @Test("a seed fixes each sample; another seed changes it")
    func determinism() {
        func sample(_ seed: UInt64, _ index: Int) -> [Event] {
            var generator = SampleGenerator(task: .digits, settings: quickSettings, seed: seed)
            let events = EventBuffer()
            generator.generate(sample: index, into: events)
            return events.events
        }
        let a = sample(11, 3)
        #expect(a == sample(11, 3))
        #expect(a != sample(12, 3))
        // Sample 3 does not depend on samples made before it by the same generator.
        var generator = SampleGenerator(task: .digits, settings: quickSettings, seed: 11)
        let scratch = EventBuffer()
        generator.generate(sample: 0, into: scratch)
        let again = EventBuffer()
        generator.generate(sample: 3, into: again)
        #expect(again.events == a)
    }

    @Test("digit classes have distinct event images: nearest class mean is right far above chance")
    func digitsAreDistinct() {
        var generator = SampleGenerator(task: .digits, settings: quickSettings, seed: 21)
        var means = [[Double]](repeating: [Double](repeating: 0, count: 1024), count: 10)
        var tests: [(Int, [Double])] = []
        for i in 0..<30 {
            let events = EventBuffer()
            let span = generator.generate(sample: i, into: events)
            let image = countImage(events)
            if i < 20 {
                for k in 0..<1024 { means[span.label][k] += image[k] }
            } else {
                tests.append((span.label, image))
            }
        }
        let correct = tests.filter { label, image in
            (0..<10).max { cosine(image, means[$0]) < cosine(image, means[$1]) } == label
        }.count
        #expect(correct >= 6, "\(correct)/10 test digits matched their class mean (chance: 1)")
    }

    /// The shift (dx, dy) that best maps the first image onto the second, on a torus, |dx|, |dy| ≤ 10.
    func bestShift(_ a: [Double], _ b: [Double]) -> (Int, Int) {
        var best = (0, 0), bestScore = -Double.infinity
        for dy in -10...10 {
            for dx in -10...10 {
                var score = 0.0
                for y in 0..<32 {
                    for x in 0..<32 {
                        score += a[y * 32 + x] * b[((y + dy + 32) % 32) * 32 + (x + dx + 32) % 32]
                    }
                }
                if score > bestScore { bestScore = score; best = (dx, dy) }
            }
        }
        return best
    }

    @Test("motion classes move the event pattern their way: the half-to-half shift points in the class's direction")
    func motionDirections() {
        var generator = SampleGenerator(task: .motion, settings: quickSettings, seed: 5)
        var checked = 0
        for i in 0..<10 {
            let events = EventBuffer()
            let span = generator.generate(sample: i, into: events)
            guard span.label < 8 else { continue }
            // Compare 30 ms windows 80 ms apart: the pattern moves 5–8 pixels.
            let a = countImage(events, from: 20_000, to: 50_000)
            let b = countImage(events, from: 100_000, to: 130_000)
            let (dx, dy) = bestShift(a, b)
            let angle = atan2(Double(-dy), Double(dx))
            let expected = Double(span.label) * Double.pi / 4
            var error = abs(angle - expected).truncatingRemainder(dividingBy: 2 * Double.pi)
            error = min(error, 2 * Double.pi - error)
            #expect(error < Double.pi / 6, "class \(span.label): shift (\(dx), \(dy))")
            checked += 1
        }
        #expect(checked == 8)
    }

    @Test("rotation classes turn the event pattern their way")
    func motionRotations() {
        var generator = SampleGenerator(task: .motion, settings: quickSettings, seed: 5)
        for i in 0..<10 {
            let events = EventBuffer()
            let span = generator.generate(sample: i, into: events)
            guard span.label >= 8 else { continue }
            let a = countImage(events, from: 20_000, to: 50_000)
            let b = countImage(events, from: 100_000, to: 130_000)
            // Turn the first window by ±0.35 rad about the centre and see which way matches the second better.
            func turned(_ phi: Double) -> [Double] {
                var out = [Double](repeating: 0, count: 1024)
                for y in 0..<32 {
                    for x in 0..<32 {
                        let u = Double(x) - 15.5, v = Double(y) - 15.5
                        let sx = Int((cos(-phi) * u - sin(-phi) * v + 15.5).rounded())
                        let sy = Int((sin(-phi) * u + cos(-phi) * v + 15.5).rounded())
                        if (0..<32).contains(sx) && (0..<32).contains(sy) { out[y * 32 + x] = a[sy * 32 + sx] }
                    }
                }
                return out
            }
            let clockwise = cosine(turned(0.35), b), anticlockwise = cosine(turned(-0.35), b)
            #expect((clockwise > anticlockwise) == (span.label == 8),
                    "class \(span.label): clockwise match \(clockwise), anticlockwise \(anticlockwise)")
        }
    }
}
