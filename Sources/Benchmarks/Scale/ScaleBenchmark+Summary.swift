import DataParallel
import Pictures
import Training

/// The figures of several rounds, each a 1-rank run and an N-rank run of the same configurations one after the
/// other: the weak-scaling ratio of each round, their median and spread, and the projection to many machines.
extension ScaleBenchmark {
    /// One round: the 1-rank × 1-thread runs and the N-rank × 1-thread runs measured right after them.
    public struct Round: Sendable, Equatable {
        public var one: [Run]
        public var many: [Run]

        public init(one: [Run], many: [Run]) { self.one = one; self.many = many }
    }

    /// The weak scaling of one configuration over the rounds: N ranks' samples/s over N × one rank's, measured in
    /// the same round.
    public struct Scaling: Codable, Sendable, Equatable {
        public var preset: String
        public var rule: String
        public var ranks: Int
        /// One ratio per round, in the rounds' order.
        public var ratios: [Double]
        public var median: Double
        public var lowest: Double
        public var highest: Double
        /// The median over rounds of the N-rank runs' communication share of the step, and its spread.
        public var communicationShare: Double
        public var communicationLowest: Double
        public var communicationHighest: Double
        /// The median over rounds of the seconds per optimizer step in sums over ranks.
        public var communicationSeconds: Double

        public var line: String {
            String(format: "weak scaling %-17@ %@: %d ranks reach %.1f %% of %d × 1 rank (median of %d rounds, "
                   + "%.1f–%.1f %%); communication %.1f %% of the step (%.1f–%.1f %%)", preset, rule, ranks,
                   100 * median, ranks, ratios.count, 100 * lowest, 100 * highest, 100 * communicationShare,
                   100 * communicationLowest, 100 * communicationHighest)
        }
    }

    /// The median of `values` (the mean of the middle two for an even count); 0 for none.
    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// `many`'s samples/s over `many.ranks` × `one`'s: 1 for perfect weak scaling.
    public static func weakScaling(many: Run, one: Run) -> Double {
        many.samplesPerSecond / (Double(many.ranks) * one.samplesPerSecond)
    }

    /// For every configuration of the first round's N-rank runs (preset and rule), its ratio in every round that
    /// measured it on both 1 and N ranks, in the first round's order.
    public static func scaling(_ rounds: [Round]) -> [Scaling] {
        guard let first = rounds.first else { return [] }
        return first.many.compactMap { key in
            var ratios: [Double] = [], shares: [Double] = [], seconds: [Double] = []
            for round in rounds {
                guard let many = round.many.first(where: { $0.preset == key.preset && $0.rule == key.rule }),
                      let one = round.one.first(where: { $0.preset == key.preset && $0.rule == key.rule && $0.ranks == 1 })
                else { continue }
                ratios.append(weakScaling(many: many, one: one))
                shares.append(many.communicationShare)
                seconds.append(many.communicationSeconds)
            }
            guard !ratios.isEmpty else { return nil }
            return Scaling(preset: key.preset, rule: key.rule, ranks: key.ranks, ratios: ratios, median: median(ratios),
                           lowest: ratios.min() ?? 0, highest: ratios.max() ?? 0,
                           communicationShare: median(shares), communicationLowest: shares.min() ?? 0,
                           communicationHighest: shares.max() ?? 0, communicationSeconds: median(seconds))
        }
    }

    /// Per preset, in first-seen order, the reduction of median seconds over `reductions`.
    public static func medians(_ reductions: [Allreduce]) -> [Allreduce] {
        var presets: [String] = []
        for r in reductions where !presets.contains(r.preset) { presets.append(r.preset) }
        return presets.compactMap { preset in
            let all = reductions.filter { $0.preset == preset }
            guard var r = all.first else { return nil }
            r.seconds = median(all.map(\.seconds))
            return r
        }
    }

    /// The compute of one optimizer step on one rank at `steps` time steps: the median over `runs` of `preset`'s
    /// 1-rank OTTT_A step, scaled linearly from its T; nil when there is none.
    public static func projectedCompute(preset: String, runs: [Run], steps: Int) -> Double? {
        let base = runs.filter { $0.preset == preset && $0.rule == LearningRuleKind.otttA.rawValue && $0.ranks == 1 }
        guard !base.isEmpty else { return nil }
        let step = median(base.map { $0.stepSeconds * Double(steps) / Double($0.steps) })
        return step > 0 && step.isFinite ? step : nil
    }

    /// One row of the projection: the expected weak-scaling efficiency on `machines` at `gigabits` Gb/s.
    public struct Projected: Codable, Sendable, Equatable {
        public var preset: String
        public var machines: Int
        public var gigabits: Double
        public var communicationSeconds: Double
        public var efficiency: Double

        public var line: String {
            String(format: "projected %-17@ %2d machines  %5.0f Gb/s  allreduce %.4f s  efficiency %5.1f %%", preset,
                   machines, gigabits, communicationSeconds, 100 * efficiency)
        }
    }

    /// The efficiency on 4–64 machines at each of `gigabits`, for a step of `computeSeconds` (> 0) and `bytes` per
    /// allreduce, assuming no overlap (the reduction after the whole backward: a lower bound).
    public static func project(preset: String, computeSeconds: Double, bytes: Double, machines: [Int] = [4, 8, 16, 32, 64],
                               gigabits: [Double] = [10, 100]) -> [Projected] {
        gigabits.flatMap { gb in
            machines.map { n in
                let p = ScalingProjection(computeSeconds: computeSeconds, bytes: bytes,
                                          bandwidth: ScalingProjection.bandwidth(gigabitsPerSecond: gb))
                return Projected(preset: preset, machines: n, gigabits: gb, communicationSeconds: p.communicationSeconds(ranks: n),
                                 efficiency: p.efficiency(ranks: n))
            }
        }
    }

    /// The projection as a chart: efficiency (%) against machines, one line per preset and bandwidth.
    public static func chart(_ rows: [Projected]) -> SVGChart {
        var chart = SVGChart(title: "Projected weak-scaling efficiency (OTTT_A, no overlap)", xLabel: "machines",
                             yLabel: "efficiency (%)", yRange: 0...100)
        chart.integerX = true
        var keys: [String] = []
        for r in rows where !keys.contains("\(r.preset) \(Int(r.gigabits))") { keys.append("\(r.preset) \(Int(r.gigabits))") }
        for key in keys {
            let points = rows.filter { "\($0.preset) \(Int($0.gigabits))" == key }.map { (x: Double($0.machines), y: 100 * $0.efficiency) }
            chart.add("\(key.split(separator: " ")[0]) at \(key.split(separator: " ")[1]) Gb/s", points,
                      dashed: key.hasSuffix(" 100"))
        }
        return chart
    }
}
