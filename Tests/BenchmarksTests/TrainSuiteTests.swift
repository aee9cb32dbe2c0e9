import Foundation
import SNN
import Testing
@testable import Benchmarks

@Suite("train suite")
struct TrainSuiteTests {
    @Test("the default plan: presets × rules × batch 1, 16 at T = 10, inference at batch 1, vgg batch 8, small32 memory sweep")
    func defaults() {
        let plan = TrainPlan(TrainPlan.Options())
        let presets = NetworkSpec.presetNames.count
        #expect(plan.cases.count == presets * 3 * 2 + presets + 1)
        #expect(plan.cases.contains(TrainCase(preset: "paper-cifar10dvs", rule: "ottt-a", steps: 10, batch: 8)))
        #expect(plan.cases.filter { $0.rule == "infer" }.allSatisfy { $0.batch == 1 && $0.steps == 10 })
        #expect(plan.memoryCases.count == 15)
        #expect(Set(plan.memoryCases.map(\.steps)) == [5, 10, 20, 40, 80])
        #expect(plan.memoryCases.allSatisfy { $0.preset == "small32" && $0.batch == 16 })
    }

    @Test("options choose a subset; full sweeps T; a child gets --one with the case")
    func subsets() {
        var options = TrainPlan.Options()
        (options.presets, options.rules, options.batches, options.infer, options.memory) = (["small32"], ["bptt"], [4], false, nil)
        let one = TrainPlan(options)
        #expect(one.cases == [TrainCase(preset: "small32", rule: "bptt", steps: 10, batch: 4)] && one.memoryCases.isEmpty)
        var full = TrainPlan.Options()
        (full.full, full.memory) = (true, nil)
        #expect(TrainPlan(full).cases.count == NetworkSpec.presetNames.count * 5 * (3 * 2 + 1))
        let words = one.cases[0].arguments(seconds: 1.5)
        #expect(words.starts(with: ["bench", "train", "--one"]) && words.contains("bptt") && words.contains("1.5"))
    }

    func figure(_ c: TrainCase, rate: Double, mib: Double, gflops: Double = 122.5, ceiling: Double? = nil) -> TrainFigure {
        TrainFigure(run: c, measured: .init(preset: c.preset, rule: c.rule, steps: c.steps, batch: c.batch,
                                            perSecond: rate, unit: "samples/s", gflops: gflops, firingRates: [0.25, 0.125],
                                            peakRSSBytes: Int(mib * 1_048_576), cpusBusy: 1.5, openblasCore: "Haswell",
                                            threads: 2),
                    measuredCeiling: ceiling)
    }

    @Test("a figure gives its share of the ceiling measured in the same run, and no share above it")
    func ceiling() throws {
        let c = TrainCase(preset: "small32", rule: "ottt-a", steps: 10, batch: 1)
        let within = figure(c, rate: 305, mib: 50, ceiling: 245)
        #expect(within.row.contains("50% of 245 measured here") && !within.row.contains("ANCHORS"))
        #expect(within.line.measuredCeilingShare == 0.5 && within.line.measuredCeilingGFLOPS == 245)
        let above = figure(c, rate: 305, mib: 50, gflops: 300, ceiling: 245)
        #expect(above.ceilingShare == nil && above.row.contains("above the 245 measured here"))
        #expect(!above.row.contains("%"))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(above.line)) as? [String: Any])
        #expect(object["measured_ceiling_share"] == nil && object["per_second"] as? Double == 305)
        #expect(object["firing_rates"] as? [Double] == [0.25, 0.125] && object["peer"] == nil)
    }

    @Test("a child's JSON line reads back as its measurement")
    func childLine() throws {
        let f = figure(TrainCase(preset: "small32", rule: "infer", steps: 10, batch: 1), rate: 4380, mib: 30)
        let data = try JSONEncoder().encode(f.measured)
        #expect(try JSONDecoder().decode(TrainMeasurement.Result.self, from: data) == f.measured)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TrainMeasurement.Result.self, from: Data(#"{"per_second": 1.0}"#.utf8))
        }
    }

    @Test("the memory summary gives the growth from T = 10")
    func memory() {
        var figures: [TrainFigure] = []
        for r in ["ottt-a", "bptt"] {
            for t in [5, 10, 20, 40, 80] {
                figures.append(figure(TrainCase(preset: "paper-cifar10dvs", rule: r, steps: t, batch: 8),
                                      rate: 1, mib: r == "bptt" ? Double(100 * t) : 400 + Double(t) / 10))
            }
        }
        let summary = TrainFigure.memorySummary(figures)
        #expect(summary.contains("T=10→80: +700.0 %"))
        #expect(summary.contains("T=10→80: +1.7 %"))
    }

    @Test("one configuration measures a batch and reports finite figures")
    func measureOne() throws {
        var options = TrainMeasurement.Options()
        (options.steps, options.batches, options.threads) = (2, 1, 1)
        let r = try TrainMeasurement.run(options)
        #expect(r.perSecond > 0 && r.gflops > 0 && r.firingRates.count == 2 && r.unit == "samples/s")
        options.rule = "nonesuch"
        #expect(throws: BenchmarkFailure.self) { try TrainMeasurement.run(options) }
    }
}
