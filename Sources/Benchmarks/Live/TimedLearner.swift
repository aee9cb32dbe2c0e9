import DVSEvents
import Foundation
import Pipeline
import SNN

/// One network's learner stage and frame maker (as `ottt replay --learn` builds them) fed a synthetic stream one
/// bin at a time and timed, without threads: what `LatencyBenchmark` and `ViewLatencyBenchmark` share. Each bin
/// holds `rate · Δt` events at uniform pixels and polarities on 128×128, evenly spaced in time; making them is
/// not timed (in a live session a reader thread does it).
struct TimedLearner {
    /// One bin's times, in seconds: the step (predict + learn), the whole bin (binning and resize included), and
    /// the learner thread's CPU time over the whole bin (what it ran, whoever else shared the cores).
    struct Bin {
        var step: Double
        var total: Double
        var cpu: Double
    }

    let name: String
    let spec: NetworkSpec
    let perBin: Int
    let binWidth: Microseconds
    let stage: LearnerStage
    private let maker: FrameMaker
    private let chunk: EventBuffer
    private var state: UInt64 = 7
    /// Bins pushed so far.
    private(set) var bin = 0

    init(name: String, spec: NetworkSpec, rate: Int, binWidth: Microseconds, threads: Int?,
         classMemory: ClassMemoryMode = LearningRecipe.standard.classMemory) throws {
        self.name = name
        self.spec = spec
        self.binWidth = binWidth
        perBin = Int(Int64(rate) * binWidth / 1_000_000)
        var settings = SessionSettings(sensor: .dvs128, binWidth: binWidth, learn: true)
        settings.network = spec.description
        settings.classMemory = classMemory
        var plan = SessionPlan(settings: settings, start: .fresh(LearningRecipe.standard.freshSpec(spec), seed: 1),
                               sourceName: "latency")
        plan.threads = threads
        let session = try LearningSession(sensor: .dvs128, plan: plan)
        stage = session.stage
        maker = session.frameMaker
        chunk = EventBuffer(capacity: perBin + 1)
    }

    /// Makes the next bin's events (one bin, whose first event of the next bin closes the one before).
    mutating func nextChunk() -> EventBuffer {
        chunk.removeAll()
        let base = Int64(bin) * binWidth
        for i in 0..<perBin {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = state >> 16
            chunk.append(t: base + Int64(i) * binWidth / Int64(perBin), x: UInt16(r % 128),
                         y: UInt16((r >> 8) % 128), p: UInt8((r >> 20) & 1))
        }
        return chunk
    }

    /// Pushes the chunk of `nextChunk` through the learner and times it; `observe` sees each step's frame and
    /// prediction on this thread, inside the timing (as a view's `observe` runs on the learner's thread). Checks
    /// that every event of the bin was binned and that outputs and losses are finite.
    mutating func push(observe: ((BinnedFrame, Prediction) -> Void)? = nil) throws -> Bin {
        let clock = SystemClock()
        let (perBin, classes, name, stage) = (perBin, spec.classes, name, stage)
        let began = clock.now(), cpuBegan = Clocks.threadCPU()
        var step = 0.0
        var emitted = 0
        var failure: String?
        try maker.push(chunk) { frame in
            emitted += 1
            if frame.bins.lowerBound > 0 && frame.events != perBin {
                failure = "bin \(frame.bins.lowerBound) holds \(frame.events) events, expected \(perBin)"
            }
            let s = clock.now()
            let p = try stage.process(frame, label: (frame.bins.lowerBound / 100) % classes)
            step = clock.now() - s
            if !p.scores.allSatisfy({ $0.isFinite }) || !(p.loss?.isFinite ?? false) {
                failure = "non-finite output or loss at bin \(frame.bins.lowerBound)"
            }
            observe?(frame, p)
        }
        let total = clock.now() - began, cpu = Clocks.threadCPU() - cpuBegan
        if let failure { throw BenchmarkFailure("latency check failed for \(name): \(failure)") }
        if bin > 0 && emitted != 1 { throw BenchmarkFailure("latency check failed for \(name): \(emitted) frames for one bin") }
        bin += 1
        return Bin(step: step, total: total, cpu: cpu)
    }
}
