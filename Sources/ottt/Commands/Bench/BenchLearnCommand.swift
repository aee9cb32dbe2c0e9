import Benchmarks
import DVSEvents
import Foundation
import Pictures
import Pipeline
import SNN

/// `ottt bench learn`: how well the online learner learns, on a suite of labelled streams, swept over Δt and
/// learning rate: how the default recipe was chosen and how a change is judged.
struct BenchLearnCommand: Command {
    static let name = "learn"
    static let abstract = "Online learning accuracy on a suite of streams, swept over Δt and learning rate."
    static let usage = """
    usage: ottt bench learn [--quick] [--streams LIST] [--dt LIST] [--lr-factors LIST] [--samples N]
                            [--recordings DIR] [--no-incremental | --incremental-only] [--svg FILE] [--json]
                            [--recipes LIST] [--warm-up N] [--max-segment DURATION] [--ws-lr X] [--hold-ws-lr]
                            [--feature-gradient tangent|full] [--plasticity none|SPREAD] [--seeds N]

    Builds labelled streams in memory — the simulator's digits and motion, two real DVS128 recordings alternating
    every 0.5 s (from DIR, default ../shared/recordings; skipped with a note when absent), a long stream of digits
    grouped into 3 unbalanced classes (60/30/10 %), digits whose labels are permuted halfway (drift) — bins each
    once per Δt, and learns the first 70 % online (each labelled bin scored, then learned from: prequential), then
    scores the last 30 % with learning frozen (hold-out: the judge, since prequential accuracy also rewards
    echoing the last label). Recipes: default (Adam, per segment, input scaled), sgd-bin-raw (the old default),
    adam-bin, at each learning-rate factor of their base rate. Then the class-incremental measure: digits 0–4,
    then 5–9, held out after each, with the default (a class memory that the first new class engages), with the
    memory from the first step, and without one. Prints a table per stream (hold-out / prequential), the echo and
    majority baselines, the learning goals met or not, and writes an SVG of rolling accuracy against labelled bins seen.

      --quick              digits and real, Δt 10 and 30 ms, ×1/3 ×1 ×3, 150 samples, no incremental
      --streams LIST       of \(LearnStream.names.joined(separator: ","))
      --dt LIST            bin widths (default 10ms,20ms,30ms,50ms)
      --lr-factors LIST    each recipe's rates × these (default 0.1,0.333,1,3,10)
      --samples N          samples of the simulator's streams (default 400; the incremental measure learns 2N)
      --incremental-only   the class-incremental measure alone
      --recipes LIST       of default,sgd-bin-raw,adam-bin (default all)
      --warm-up N          the default recipe's warm-up, updates (default \(LearningRecipe.standard.warmUp)), to judge a change
      --max-segment DURATION  the default recipe's segment cap (default \(LearningRecipe.standard.maxSegment / 1000)ms; 0: none)
      --ws-lr X            the default recipe's rate of the scale-invariant weights (the standardised
                           convolutions', the normalised classifier's; default \(LearningRecipe.standard.standardizedRate)), scaled by each factor
      --hold-ws-lr         the factors scale the learning rate only, as the sessions' learning-rate flag alone
                           does; the weights' rate stays at --ws-lr (the goal line says which was judged)
      --feature-gradient tangent|full  what the default recipe's classifier passes back to the convolutions
                           (default \(LearningRecipe.standard.featureGradient.rawValue); full: with the part that scales
                           all its features together), to judge a change
      --plasticity none|SPREAD  the default recipe's plastic and stable convolution channels: every other one at
                           SPREAD × the scale-invariant rate, the rest at 1/SPREAD × with Adam's β₁
                           \(LearningRecipe.standardPlasticity.stableBeta1) (default SPREAD \(LearningRecipe.standardPlasticity.spread));
                           none: every channel alike, to judge a change
      --seeds N            network initialisations per cell, averaged (default 1): one run's hold-out moves
                           by several points with the initialisation alone; the sweep prints each mean's range
      --svg FILE           the chart (default bench-learn.svg)
    """

    var options: LearnBenchmark.Options
    let json: Bool
    let svg: String

    init(arguments: Arguments) throws {
        var a = arguments
        options = a.flag("quick") ? .quick : LearnBenchmark.Options()
        if let s = try a.option("streams") {
            options.streams = try s.split(separator: ",").map { w in
                guard LearnStream.names.contains(String(w)) else { throw UsageError("--streams: no stream '\(w)'") }
                return String(w)
            }
        }
        if let s = try a.option("dt") {
            options.binWidths = try s.split(separator: ",").map { try Self.duration(String($0), flag: "dt", zero: false) }
        }
        if let s = try a.option("lr-factors") {
            options.factors = try s.split(separator: ",").map { w in
                guard let f = Float(w), f > 0, f.isFinite else { throw UsageError("--lr-factors: a positive number, not '\(w)'") }
                return f
            }
        }
        options.samples = try a.positiveInt("samples", default: options.samples)
        options.seeds = try a.positiveInt("seeds", default: options.seeds)
        if let s = try a.option("recipes") {
            options.recipes = try s.split(separator: ",").map { w in
                guard LearnRecipe.suite(times: 1).contains(where: { $0.name == w }) else {
                    throw UsageError("--recipes: no recipe '\(w)'")
                }
                return String(w)
            }
        }
        if let w = try a.option("warm-up") {
            guard let n = Int(w), n >= 0 else { throw UsageError("--warm-up: a number of updates ≥ 0, not '\(w)'") }
            options.warmUp = n
        }
        options.standardizedRate = try a.nonNegativeNumber("ws-lr")
        options.holdingWeights = a.flag("hold-ws-lr")
        if let w = try a.option("feature-gradient") {
            guard let f = FeatureGradient(rawValue: w) else {
                throw UsageError("--feature-gradient: tangent or full, not '\(w)'")
            }
            options.featureGradient = f
        }
        if let w = try a.option("plasticity") {
            if w == "none" { options.uniformChannels = true } else {
                var p = LearningRecipe.standardPlasticity
                p.spread = Float(w) ?? .nan
                guard p.isValid else { throw UsageError("--plasticity: none or a spread from 1 to 1000, not '\(w)'") }
                options.plasticity = p
            }
        }
        options.maxSegment = try a.option("max-segment").map { try Self.duration($0, flag: "max-segment", zero: true) }
        if a.flag("no-incremental") { options.incremental = false }
        if a.flag("incremental-only") { options.sweep = false; options.incremental = true }
        let folder = try a.option("recordings") ?? "../shared/recordings"
        options.recordings = FileManager.default.fileExists(atPath: folder + "/dvs128_alex_walking_again.aedat") ? folder : nil
        svg = try a.option("svg") ?? "bench-learn.svg"
        json = a.flag("json")
        try a.finish()
        if options.recordings == nil && options.streams.contains("real") {
            printError("ottt bench learn: no recordings in \(folder); the real stream is skipped")
        }
    }

    /// A duration flag's value, above zero (or at least zero when `zero`).
    static func duration(_ w: String, flag: String, zero: Bool) throws -> Microseconds {
        switch DurationText.parse(w) {
        case .success(let d) where d > 0 || (zero && d == 0): return d
        case .success: throw UsageError("--\(flag): a duration \(zero ? "≥" : "above") zero, not '\(w)'")
        case .failure(let p): throw DurationText.error(p, flag: "--\(flag)", text: w)
        }
    }

    func run() throws {
        let report = try LearnBenchmark.run(options) { printError("  \($0)") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.tables(report))
        }
        var charts: [SVGChart] = []
        for stream in options.streams {
            var chart = SVGChart(title: "\(stream): rolling accuracy (200 bins) while learning", xLabel: "labelled bins seen",
                                 yLabel: "accuracy", yRange: 0...1)
            for r in report.results where r.stream == stream && r.lrFactor == 1 {
                chart.add("\(r.recipe.name) \(r.binWidthMs) ms", r.curve.enumerated().map { (Double(($0 + 1) * 100), $1) },
                          dashed: r.recipe.name != "default")
            }
            if !chart.series.isEmpty { charts.append(chart) }
        }
        if !charts.isEmpty {
            do { try SVGChart.write(charts, to: svg) } catch { throw CommandFailure("\(error)") }
            printError("ottt bench learn: chart written to \(svg)")
        }
    }

    /// A table per stream: rows recipe × factor, columns Δt, cells "hold-out / prequential"; then baselines, goals.
    static func tables(_ report: LearnBenchmark.Report) -> String {
        var out: [String] = []
        let streams = report.results.map(\.stream).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        func pct(_ x: Double) -> String { String(format: "%5.1f", x * 100) }
        for stream in streams {
            let runs = report.results.filter { $0.stream == stream }
            let dts = runs.map(\.binWidthMs).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
            let seeds = runs.map(\.seeds).max() ?? 1
            out.append("\n\(stream) — hold-out % / prequential % (labelled bins of the learned part)"
                       + (seeds > 1 ? ", mean of \(seeds) network seeds" : ""))
            out.append("recipe".padding(toLength: 22, withPad: " ", startingAt: 0)
                       + dts.map { "\($0) ms".leftPadded(16) }.joined())
            var rows: [String] = []
            for r in runs {
                let key = "\(r.recipe.name) ×\(String(format: "%.2g", r.lrFactor))"
                if !rows.contains(key) { rows.append(key) }
            }
            for key in rows {
                var line = key.padding(toLength: 22, withPad: " ", startingAt: 0)
                for dt in dts {
                    let r = runs.first { "\($0.recipe.name) ×\(String(format: "%.2g", $0.lrFactor))" == key && $0.binWidthMs == dt }
                    line += (r.map { "\(pct($0.holdOut)) / \(pct($0.prequential))" } ?? "-").leftPadded(16)
                }
                out.append(line)
            }
            var line = "majority / echo".padding(toLength: 22, withPad: " ", startingAt: 0)
            for dt in dts {
                let r = runs.first { $0.binWidthMs == dt }
                line += (r.map { "\(pct($0.holdOutMajority)) / \(pct($0.echo))" } ?? "-").leftPadded(16)
            }
            out.append(line)
        }
        for s in report.skipped { out.append("\nskipped: \(s) (no recordings)") }
        for i in report.incremental {
            out.append(String(format: "\nclass-incremental digits (10 ms, %@): 0–4 held out %.1f %% after learning 0–4, %.1f %% after learning 5–9; 5–9 %.1f %%; labelled bins to 80 %% for 5–9: %@",
                              i.recipe, i.oldBefore * 100, i.oldAfter * 100, i.newAfter * 100,
                              i.binsToReach.map { $0.map(String.init) ?? "never" }.joined(separator: ", ")))
        }
        out.append("\nlearning goals (judged on hold-out accuracy):")
        for g in report.goals { out.append("  [\(g.met ? "met" : "NOT met")] \(g.name): \(g.detail)") }
        return out.joined(separator: "\n")
    }
}
