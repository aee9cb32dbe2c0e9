import DataParallel
import Foundation
import MessagePassing
import Testing
import TestSupport
import Training
@testable import Benchmarks

/// `ScaleBenchmark`'s arithmetic (figures of a run, batches for a budget, medians, weak scaling over rounds, the
/// projection) and the reading of the ranks' report, without timing assertions; one tiny run on 1 rank in-process
/// and one on 2 ranks under mpirun.
@Suite("ScaleBenchmark")
struct ScaleBenchmarkTests {
    typealias Run = ScaleBenchmark.Run

    /// A run of `batch` × `ranks` samples a step, `batches` steps in `seconds`, `communication` of them in sums.
    static func run(_ preset: String = "small32", _ rule: String = "ottt-a", ranks: Int = 1, batches: Int = 10,
                    seconds: Double, communication: Double = 0, steps: Int = 4) -> Run {
        Run(preset: preset, rule: rule, ranks: ranks, threads: 1, batch: 16, steps: steps, batches: batches,
            seconds: seconds, communication: communication)
    }

    @Test("a run's samples/s, step and communication share follow from its batches and seconds")
    func runFigures() {
        let r = Self.run(ranks: 2, batches: 8, seconds: 4, communication: 0.5)
        #expect(r.samplesPerSecond == 16 * 2 * 8 / 4.0)
        #expect(r.stepSeconds == 0.5)
        #expect(r.communicationShare == 0.125 && r.communicationSeconds == 0.0625)
        #expect(r.line.contains("8 batches, 4.0 s") && r.line.contains("12.5 %"), "\(r.line)")
    }

    @Test("the batches of a budget: enough to fill it, at least 1, at most 100 000",
          arguments: [(3.0, 0.037, 82), (3.0, 4.2, 1), (3.0, 1.0, 3), (0.0, 0.5, 1), (3.0, 0.0, 1),
                      (3.0, Double.nan, 1), (3.0, .infinity, 1), (3.0, 1e-9, 100_000)])
    func batchesForBudget(budget: Double, step: Double, expected: Int) {
        #expect(ScaleBenchmark.batchesFor(budget: budget, step: step) == expected)
    }

    @Test("the median of an odd count is the middle value, of an even count the mean of the middle two")
    func median() {
        #expect(ScaleBenchmark.median([0.9, 0.7, 0.95]) == 0.9)
        #expect(ScaleBenchmark.median([4, 1, 3, 2]) == 2.5)
        #expect(ScaleBenchmark.median([5]) == 5)
        #expect(ScaleBenchmark.median([]) == 0)
    }

    @Test("weak scaling pairs each round's N-rank run with the 1-rank run of the same round")
    func scalingOverRounds() throws {
        // 1 rank: 100, 80, 100 samples/s (16 × 10 batches in 1.6, 2.0, 1.6 s); 2 ranks: 190, 150, 160.
        let ones = [1.6, 2.0, 1.6].map { Self.run(seconds: $0) }
        let manys = [(320.0 / 190, 0.01), (320.0 / 150, 0.05), (320.0 / 160, 0.02)].map {
            Self.run(ranks: 2, seconds: $0.0, communication: $0.1)
        }
        let otttO = Self.run("small32", "ottt-o", seconds: 2)
        let rounds = (0..<3).map { ScaleBenchmark.Round(one: [ones[$0], otttO], many: [manys[$0]]) }
        let s = try #require(ScaleBenchmark.scaling(rounds).first)
        #expect(ScaleBenchmark.scaling(rounds).count == 1, "ottt-o was measured on 1 rank only")
        let expected = [0.95, 150.0 / 160, 0.8]
        #expect(zip(s.ratios, expected).allSatisfy { abs($0 - $1) < 1e-12 } && s.ratios.count == 3, "\(s.ratios)")
        #expect(abs(s.median - 150.0 / 160) < 1e-12 && abs(s.lowest - 0.8) < 1e-12 && abs(s.highest - 0.95) < 1e-12)
        #expect(abs(s.communicationShare - manys[2].communicationShare) < 1e-12)
        #expect(s.communicationLowest == manys[0].communicationShare && s.communicationHighest == manys[1].communicationShare)
        #expect(s.line.contains("median of 3 rounds"), "\(s.line)")
        // A round without the 1-rank figure of a configuration adds no ratio for it.
        var partial = rounds
        partial[1].one = [otttO]
        #expect(ScaleBenchmark.scaling(partial).first?.ratios.count == 2)
    }

    @Test("the allreduce of each preset is the median over rounds, in first-seen order")
    func allreduceMedians() {
        let a = { (preset: String, s: Double) in
            ScaleBenchmark.Allreduce(preset: preset, ranks: 2, parameters: 10, megabytes: 0.00004, seconds: s)
        }
        let m = ScaleBenchmark.medians([a("paper", 0.03), a("small", 0.1), a("paper", 0.01), a("paper", 0.02)])
        #expect(m.map(\.preset) == ["paper", "small"] && m.map(\.seconds) == [0.02, 0.1])
    }

    @Test("the projection's compute is the median 1-rank OTTT_A step scaled to T 10; its rows are the model's")
    func projection() throws {
        let runs = [Self.run(seconds: 1), Self.run(seconds: 3), Self.run(seconds: 2), Self.run("small32", "ottt-o", seconds: 9),
                    Self.run(ranks: 2, seconds: 9), Self.run("paper-cifar10dvs", seconds: 40)]
        let compute = try #require(ScaleBenchmark.projectedCompute(preset: "small32", runs: runs, steps: 10))
        #expect(abs(compute - 0.2 * 10 / 4) < 1e-12)
        #expect(ScaleBenchmark.projectedCompute(preset: "small64", runs: runs, steps: 10) == nil)
        let rows = ScaleBenchmark.project(preset: "small32", computeSeconds: compute, bytes: 4e6)
        #expect(rows.count == 10 && rows.map(\.machines) == [4, 8, 16, 32, 64, 4, 8, 16, 32, 64])
        let model = ScalingProjection(computeSeconds: compute, bytes: 4e6, bandwidth: 1.25e9)
        #expect(rows[2].gigabits == 10 && rows[2].efficiency == model.efficiency(ranks: 16))
        #expect(rows.allSatisfy { $0.efficiency > 0 && $0.efficiency <= 1 })
    }

    @Test("the ranks' report: figures from JSON lines, the launcher's lines skipped, anything else refused")
    func report() throws {
        let runs = [Self.run(ranks: 2, seconds: 1), Self.run("small32", "ottt-o", ranks: 2, seconds: 2)]
        let reduction = ScaleBenchmark.Allreduce(preset: "small32", ranks: 2, parameters: 60170, megabytes: 0.24, seconds: 1e-4)
        let encoder = JSONEncoder()
        let json = try (runs.map(encoder.encode) + [encoder.encode(reduction)]).map { String(decoding: $0, as: UTF8.self) }
        let text = "a note of the launcher\n" + json.joined(separator: "\n") + "\n\n"
        let report = try ScaleBenchmark.Report(parsing: text)
        #expect(report == ScaleBenchmark.Report(runs: runs, reductions: [reduction]))
        try report.check(runs: 2, reductions: 1, ranks: 2)
        #expect(throws: BenchmarkFailure.self) { try report.check(runs: 3, reductions: 1, ranks: 2) }
        #expect(throws: BenchmarkFailure.self) { try report.check(runs: 2, reductions: 1, ranks: 3) }
        let bad = #expect(throws: BenchmarkFailure.self) { try ScaleBenchmark.Report(parsing: json[0] + "\n{\"x\": 1}") }
        #expect(bad?.description.contains("line 2") == true, "\(String(describing: bad))")
    }

    @Test("a tiny measurement on 1 rank times at least one batch after the warm-up")
    func tinyOnOneRank() throws {
        let r = try ScaleBenchmark.measure(preset: "small32", rule: .otttA, batch: 1, steps: 1, budget: 0,
                                           communicator: .single)
        #expect(r.ranks == 1 && r.batches == 1 && r.seconds > 0 && r.communicationSeconds == 0)
        #expect(abs(r.samplesPerSecond * r.seconds - 1) < 1e-9)
    }

    @Test("the 2-rank part under mpirun reports every configuration and allreduce",
          .enabled(if: MPIRun.launcher != nil && MPIRun.program("ottt") != nil,
                   "needs mpirun on PATH (tools/setup installs openmpi-bin) and the ottt program built"))
    func twoRanksUnderMPIRun() throws {
        let ottt = try #require(MPIRun.program("ottt"))
        let outcome = try MPIRun.launch(["-np", "2", ottt, "bench", "scale", "--part", "--presets", "small32",
                                         "--batch", "1", "--steps", "1", "--seconds", "0"], timeout: 120)
        #expect(outcome.status == 0, "\(outcome.output)")
        let report = try ScaleBenchmark.Report(parsing: outcome.output)
        try report.check(runs: 2, reductions: 1, ranks: 2)
        #expect(report.runs.map(\.rule) == ["ottt-a", "ottt-o"])
        #expect(report.runs.allSatisfy { $0.batches >= 1 && $0.seconds > 0 && (0...1).contains($0.communicationShare) })
        #expect(report.reductions[0].parameters > 0 && report.reductions[0].seconds >= 0)
    }
}
