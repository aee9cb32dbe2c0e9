import Foundation

/// What a child reported for one case of the suite, with the matrix-product ceiling measured in the same run.
public struct TrainFigure: Codable, Equatable, Sendable {
    public var run: TrainCase
    public var measured: TrainMeasurement.Result
    /// The 1024³ product's GFLOP/s measured in the children's environment before the cases, when it was.
    public var measuredCeiling: Double?

    public init(run: TrainCase, measured: TrainMeasurement.Result, measuredCeiling: Double? = nil) {
        self.run = run
        self.measured = measured
        self.measuredCeiling = measuredCeiling
    }

    public var peakMiB: Double { Double(measured.peakRSSBytes) / 1_048_576 }
    public var unit: String { run.rule == "infer" ? "steps/s" : "samples/s" }

    /// The share of the measured ceiling the case reached, when it is at most the ceiling (above it, the ceiling's
    /// measurement was noisy and a share would mean nothing).
    public var ceilingShare: Double? {
        guard let c = measuredCeiling, c > 0, measured.gflops <= c else { return nil }
        return measured.gflops / c
    }

    /// How the GFLOP/s compare with the ceiling measured here.
    var ceilingText: String {
        guard let c = measuredCeiling else { return "no ceiling measured" }
        if let share = ceilingShare { return String(format: "%.0f%% of %.0f measured here", 100 * share, c) }
        return String(format: "above the %.0f measured here: that measurement was noisy", c)
    }

    /// One table row: the figure, GFLOP/s against the measured ceiling, peak RSS, the firing rates and CPUs busy.
    public var row: String {
        let rates = measured.firingRates.map { String(format: "%.2f", $0) }.joined(separator: " ")
        return String(format: "%-17@ %-6@ T=%-3d B=%-3d %10.2f %-9@ %6.1f GFLOP/s (%@)  %7.0f MiB  rates %@  %.2f CPUs busy",
                      run.preset, run.rule, run.steps, run.batch, measured.perSecond, unit, measured.gflops, ceilingText,
                      peakMiB, rates, measured.cpusBusy)
    }

    /// The `--json` object of a row.
    public struct Line: Codable, Equatable, Sendable {
        public var preset: String, rule: String, steps: Int, batch: Int
        public var perSecond: Double
        public var unit: String
        public var gflops: Double
        public var peakRSSMiB: Double
        public var firingRates: [Double]
        public var openblasCore: String
        public var threads: Int
        public var cpusBusy: Double
        public var measuredCeilingGFLOPS: Double?
        public var measuredCeilingShare: Double?

        enum CodingKeys: String, CodingKey {
            case preset, rule, steps, batch, unit, gflops, threads
            case perSecond = "per_second", peakRSSMiB = "peak_rss_mib", firingRates = "firing_rates"
            case openblasCore = "openblas_core", cpusBusy = "cpus_busy"
            case measuredCeilingGFLOPS = "measured_ceiling_gflops", measuredCeilingShare = "measured_ceiling_share"
        }
    }

    public var line: Line {
        Line(preset: run.preset, rule: run.rule, steps: run.steps, batch: run.batch, perSecond: measured.perSecond,
             unit: unit, gflops: measured.gflops, peakRSSMiB: peakMiB, firingRates: measured.firingRates,
             openblasCore: measured.openblasCore, threads: measured.threads, cpusBusy: measured.cpusBusy,
             measuredCeilingGFLOPS: measuredCeiling, measuredCeilingShare: ceilingShare)
    }

    /// Growth of peak RSS from T = 10 (or the smallest T) to the largest T, one line per rule.
    public static func memorySummary(_ figures: [TrainFigure]) -> String {
        var lines: [String] = []
        for rule in TrainPlan.rules {
            let f = figures.filter { $0.run.rule == rule }.sorted { $0.run.steps < $1.run.steps }
            guard let first = f.first, let last = f.last else { continue }
            let base = f.first { $0.run.steps == 10 } ?? first
            let mem = f.map { "T=\($0.run.steps) \(Int($0.peakMiB.rounded())) MiB" }.joined(separator: ", ")
            lines.append(String(format: "  %@ %@; T=%d→%d: %+.1f %%", rule.padding(toLength: 7, withPad: " ", startingAt: 0),
                                mem, base.run.steps, last.run.steps, 100 * (last.peakMiB / base.peakMiB - 1)))
        }
        return lines.joined(separator: "\n")
    }
}
