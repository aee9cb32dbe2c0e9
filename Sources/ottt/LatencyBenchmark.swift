import DVSEvents
import EventBinning
import Foundation
import Pipeline
import SNN
import Tensors
import Training

/// `ottt bench latency`: per-bin latency of the always-on learner (bin, resize, predict, learn) on a synthetic
/// stream, as issue 4 asks: small32, 128×128 input resized, Δt = 10 ms, 1 M events/s.
struct LatencyBenchmark: Command {
    static let name = "latency"
    static let abstract = "Per-bin latency of predict + learn on a 1 M events/s stream (p50/p99, real-time factor)."
    static let usage = """
    usage: ottt bench latency [--net LIST] [--rate EVENTS_PER_S] [--dt DURATION] [--bins N] [--budget SECONDS] [--json]

    Streams synthetic events (uniform pixels and polarities on 128×128, evenly spaced in time) through the learner
    stage exactly as `ottt replay --learn` does, without threads or pacing: the streaming binner, the clean resize
    to the network input, one network step, the prequential score and one OTTT_O update per bin. Before timing it
    checks that every event of a bin was binned and that outputs and losses are finite. Reports, per network,
    the step time (predict + learn) p50/p99, the whole bin's p50/p99 (binning and resize included), and the
    real-time factor Δt / mean bin time (above 1 keeps up with the stream).

      --net LIST       comma-separated presets or words (default small32,small48,paper-cifar10dvs)
      --rate R         events per second (default 1000000)
      --dt D           bin width (default 10ms)
      --bins N         timed bins per network (default 500), after 5 warm-up bins
      --budget S       stop a network after S seconds of timing (default 30), whatever N
      --threads N      threads the network uses (default as `ottt live`: 1 under 50 M multiply-adds a step)
    Build with -c release for figures.

    Example:
      ottt bench latency --net small32 --bins 2000
    """

    let nets: [String]
    let rate: Int
    let binWidth: Microseconds
    let bins: Int
    let budget: Double
    let json: Bool
    let threads: Int?

    init(arguments: Arguments) throws {
        var a = arguments
        nets = (try a.option("net") ?? "small32,small48,paper-cifar10dvs").split(separator: ",").map(String.init)
        rate = try a.positiveInt("rate", default: 1_000_000)
        binWidth = try a.option("dt", default: 10_000) { parseDuration($0).flatMap { $0 > 0 ? $0 : nil } }
        bins = try a.positiveInt("bins", default: 500)
        budget = try a.option("budget", default: 30) { Double($0).flatMap { $0 > 0 ? $0 : nil } }
        json = a.flag("json")
        threads = try SessionOptions.threadsOption(&a)
        try a.finish()
    }

    func run() throws {
        for net in nets {
            let spec: NetworkSpec
            if let preset = NetworkSpec.preset(net) { spec = preset } else {
                do { spec = try NetworkSpec(parsing: net) } catch { throw UsageError("--net: \(error)") }
            }
            try measure(net, spec)
        }
    }

    private func measure(_ name: String, _ spec: NetworkSpec) throws {
        let sensor = SensorSize.dvs128
        let perBin = Int(Int64(rate) * binWidth / 1_000_000)
        let defaultThreads = Parallel.width
        let learner = NetworkLearner(network: Network(spec: spec, seed: 1), optimizer: SGD(learningRate: 0.01, momentum: 0.9))
        SessionOptions.configureThreads(for: learner.network, threads: self.threads)
        let threads = Parallel.width
        defer { Parallel.setWidth(defaultThreads) }
        let stage = LearnerStage(learner: learner, decay: 0.9, reset: .never, learn: true)
        let settings = SessionSettings(sensor: sensor, binWidth: binWidth, network: spec.description, learn: true)
        let maker = try FrameMaker(settings: settings, input: spec.input)
        let clock = SystemClock()
        let chunk = EventBuffer(capacity: perBin + 1)
        var state: UInt64 = 7
        var stepTimes = LatencyStats(capacity: bins), binTimes = LatencyStats(capacity: bins)
        var totalBinTime = 0.0
        var timed = 0
        let warmUp = 5
        let started = clock.now()
        var bin = 0
        while timed < bins && (timed == 0 || clock.now() - started < budget) {
            // One bin of events, evenly spaced, plus the first event of the next bin that closes this one.
            chunk.removeAll()
            let base = Int64(bin) * binWidth
            for i in 0..<perBin {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = state >> 16
                chunk.append(t: base + Int64(i) * binWidth / Int64(perBin), x: UInt16(r % 128),
                             y: UInt16((r >> 8) % 128), p: UInt8((r >> 20) & 1))
            }
            let began = clock.now()
            var step = 0.0
            var emitted = 0
            var failure: String?
            try maker.push(chunk) { frame in
                emitted += 1
                if frame.bins.lowerBound > 0 && frame.events != perBin {
                    failure = "bin \(frame.bins.lowerBound) holds \(frame.events) events, expected \(perBin)"
                }
                let s = clock.now()
                let p = try stage.process(frame, label: (frame.bins.lowerBound / 100) % spec.classes)
                step = clock.now() - s
                if !p.scores.allSatisfy({ $0.isFinite }) || !(p.loss?.isFinite ?? false) {
                    failure = "non-finite output or loss at bin \(frame.bins.lowerBound)"
                }
            }
            let total = clock.now() - began
            if let failure { throw CommandFailure("latency check failed for \(name): \(failure)") }
            if bin > 0 && emitted != 1 { throw CommandFailure("latency check failed for \(name): \(emitted) frames for one bin") }
            if bin > warmUp {
                stepTimes.add(step)
                binTimes.add(total)
                totalBinTime += total
                timed += 1
            }
            bin += 1
        }
        let mean = totalBinTime / Double(timed)
        let factor = Double(binWidth) / 1e6 / mean
        let input = spec.input.map(String.init).joined(separator: "×")
        if json {
            print(String(format: "{\"benchmark\": \"latency\", \"net\": \"%@\", \"input\": \"%@\", \"dt_us\": %d, "
                         + "\"events_per_s\": %d, \"bins\": %d, \"step_p50_ms\": %.3f, \"step_p99_ms\": %.3f, "
                         + "\"bin_p50_ms\": %.3f, \"bin_p99_ms\": %.3f, \"bin_mean_ms\": %.3f, \"realtime_factor\": %.2f, \"blas_threads\": %d}",
                         name, input, Int(binWidth), rate, timed, stepTimes.p50! * 1e3, stepTimes.p99! * 1e3,
                         binTimes.p50! * 1e3, binTimes.p99! * 1e3, mean * 1e3, factor, threads))
        } else {
            print(String(format: "%@ (%@), Δt %.1f ms, %.2f M events/s, %d bins: step p50 %.3f ms p99 %.3f ms; "
                         + "whole bin p50 %.3f ms p99 %.3f ms mean %.3f ms; real time ×%.2f; %d thread(s)",
                         name, input, Double(binWidth) / 1e3, Double(rate) / 1e6, timed, stepTimes.p50! * 1e3,
                         stepTimes.p99! * 1e3, binTimes.p50! * 1e3, binTimes.p99! * 1e3, mean * 1e3, factor, threads))
        }
    }
}
