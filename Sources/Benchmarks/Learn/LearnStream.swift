import DVSEvents
import DVSSimulator
import EventBinning
import EventFormats
import Foundation
import Pipeline

/// One labelled stream of `ottt bench learn`, binned once at one Δt and kept in memory so that every learner of the
/// sweep sees the same frames: the network inputs (before the learner stage's input scale), a label or none per
/// frame, and where the hold-out part starts (the last 30 %, scored by a frozen copy of the learner).
public struct LearnStream {
    public var name: String
    public var classes: Int
    public var binWidth: Microseconds
    public var frames: [BinnedFrame]
    public var labels: [Int?]
    /// Frames from here on are the hold-out part.
    public var holdOutStart: Int
    /// The reset policy the stream is learned with (the simulator's streams are samples with silence between).
    public var reset: ResetPolicy

    /// The suite's stream names, in the order tables show them.
    public static let names = ["digits", "motion", "real", "long-unbalanced", "drift"]

    /// Bins `events` (on `sensor`) at `binWidth` for a network input `input`, labelled by `schedule`.
    static func binned(name: String, events: EventBuffer, sensor: SensorSize, binWidth: Microseconds, input: [Int],
                       schedule: LabelSchedule, classes: Int, reset: ResetPolicy) throws -> LearnStream {
        let settings = SessionSettings(sensor: sensor, binWidth: binWidth, learn: true)
        let maker = try FrameMaker(settings: settings, input: input)
        var frames: [BinnedFrame] = []
        maker.push(events) { frames.append($0) }
        maker.finish { frames.append($0) }
        let labels = frames.map { schedule.label(from: $0.start, to: $0.end) }
        return LearnStream(name: name, classes: classes, binWidth: binWidth, frames: frames, labels: labels,
                           holdOutStart: frames.count * 7 / 10, reset: reset)
    }

    /// The simulator's `task` (digits or motion): `samples` samples with silence between, seed `seed`; `relabel`
    /// maps a sample's class to the stream's label (drift, unbalanced groups).
    static func simulated(name: String, task: SyntheticTask, samples: Int, seed: UInt64, binWidth: Microseconds,
                          input: [Int], classes: Int? = nil,
                          relabel: (_ sample: Int, _ label: Int) -> Int = { $1 }) throws -> LearnStream {
        let sensor = SensorSize(width: input[2], height: input[1])
        let simulation = SimulationSettings(sensor: sensor)
        let generator = SampleGenerator(task: task, settings: simulation, seed: seed)
        let bins = (simulation.sampleDuration + 30_000 + binWidth - 1) / binWidth
        let gap = bins * binWidth - simulation.sampleDuration
        let period = simulation.sampleDuration + gap
        let schedule = LabelSchedule((0..<samples).map { i in
            LabelSchedule.Interval(start: Microseconds(i) * period, end: Microseconds(i) * period + simulation.sampleDuration,
                                   label: relabel(i, generator.label(ofSample: i)))
        })
        let source = SyntheticStream(task: task, settings: simulation, seed: seed, sampleCount: samples, gap: gap)
        let events = EventBuffer(), chunk = EventBuffer()
        while try source.read(into: chunk) {
            for i in 0..<chunk.count { events.append(t: chunk.t[i], x: chunk.x[i], y: chunk.y[i], p: chunk.p[i]) }
        }
        return try binned(name: name, events: events, sensor: sensor, binWidth: binWidth, input: input,
                          schedule: schedule, classes: classes ?? task.classCount, reset: .silence(20_000))
    }

    /// Two real DVS128 recordings of `folder` (a walking person, label 0; a clamp, label 1) cut into 0.5 s
    /// segments that alternate, the walking one looped so that the classes are balanced, until the clamp ends.
    static func real(folder: String, binWidth: Microseconds, input: [Int]) throws -> LearnStream {
        let walk = try EventFile.open(path: folder + "/dvs128_alex_walking_again.aedat").readAll()
        let clamp = try EventFile.open(path: folder + "/dvs128_cam255_right_clamp_test1.aedat").readAll()
        let segment: Microseconds = 500_000
        func segments(_ b: EventBuffer) -> [[Int]] {
            guard b.count > 0 else { return [] }
            var out: [[Int]] = []
            for i in 0..<b.count {
                let k = Int((b.t[i] - b.t[0]) / segment)
                while out.count <= k { out.append([]) }
                out[k].append(i)
            }
            return out
        }
        let w = segments(walk), c = segments(clamp)
        guard !w.isEmpty else { throw BenchmarkFailure("\(folder): the walking recording holds no events") }
        let events = EventBuffer()
        var intervals: [LabelSchedule.Interval] = []
        var wi = 0, ci = 0, k = 0
        while ci < c.count {
            let walking = k % 2 == 0
            let start = Microseconds(k) * segment
            let (source, indices, base): (EventBuffer, [Int], Microseconds) = walking
                ? (walk, w[wi % w.count], walk.t[0] + Microseconds(wi % w.count) * segment)
                : (clamp, c[ci], clamp.t[0] + Microseconds(ci) * segment)
            for i in indices { events.append(t: start + source.t[i] - base, x: source.x[i], y: source.y[i], p: source.p[i]) }
            intervals.append(.init(start: start, end: start + segment, label: walking ? 0 : 1))
            if walking { wi += 1 } else { ci += 1 }
            k += 1
        }
        return try binned(name: "real", events: events, sensor: SensorSize(width: 128, height: 128), binWidth: binWidth,
                          input: input, schedule: LabelSchedule(intervals), classes: 2, reset: .never)
    }

    /// The suite's stream `name` at `binWidth`; `samples` scales the simulator's streams (the long one is 3×).
    /// `recordings` is the folder of the real recordings (nil: that stream is skipped, the result is nil).
    public static func make(_ name: String, binWidth: Microseconds, input: [Int], samples: Int,
                            recordings: String?) throws -> LearnStream? {
        let digits = SyntheticTask.named("digits"), motion = SyntheticTask.named("motion")
        switch name {
        case "digits":
            guard let digits else { return nil }
            return try simulated(name: name, task: digits, samples: samples, seed: 1, binWidth: binWidth, input: input)
        case "motion":
            guard let motion else { return nil }
            return try simulated(name: name, task: motion, samples: samples, seed: 1, binWidth: binWidth, input: input)
        case "real":
            guard let recordings else { return nil }
            return try real(folder: recordings, binWidth: binWidth, input: input)
        case "long-unbalanced":
            // Digits grouped into 3 labels of unequal frequency: 0–5 (60 %), 6–8 (30 %), 9 (10 %).
            guard let digits else { return nil }
            return try simulated(name: name, task: digits, samples: samples * 3, seed: 2, binWidth: binWidth, input: input,
                                 classes: 3) { _, label in label <= 5 ? 0 : label <= 8 ? 1 : 2 }
        case "drift":
            // Digits whose labels are permuted (k → 9 − k) from the middle of the stream on: the classes drift.
            guard let digits else { return nil }
            let half = samples / 2
            return try simulated(name: name, task: digits, samples: samples, seed: 3, binWidth: binWidth,
                                 input: input) { i, label in i < half ? label : 9 - label }
        default:
            return nil
        }
    }
}
