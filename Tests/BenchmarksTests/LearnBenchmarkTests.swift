import DVSEvents
import Pipeline
import SNN
import Testing
import Training
@testable import Benchmarks

@Suite("bench learn: the default recipe learns online at any Δt")
struct LearnBenchmarkTests {
    static let spec = try? NetworkSpec(parsing: "2x8x8:c4-a2-fc2")

    /// Two patterns on a 16×16 sensor in labelled stretches of 200–500 ms: class 0 sparse events in the top-left
    /// quadrant, class 1 in the bottom-right; class 0 holds `share` of the time. Events are sparse (a few per bin),
    /// as on a real sensor, so that a raw count is far below a neuron's threshold.
    static func stream(binWidth: Microseconds, share: Double, seconds: Int = 40) throws -> LearnStream {
        let events = EventBuffer()
        var intervals: [LabelSchedule.Interval] = []
        var state: UInt64 = 99
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 16 }
        var t: Microseconds = 0
        while t < Microseconds(seconds) * 1_000_000 {
            let label = Double(next() % 1000) / 1000 < share ? 0 : 1
            let length = Microseconds(200_000 + next() % 300_000)
            intervals.append(.init(start: t, end: t + length, label: label))
            var u = t
            while u < t + length {
                let r = next()
                let x = UInt16(r % 8) + (label == 0 ? 0 : 8), y = UInt16((r >> 8) % 8) + (label == 0 ? 0 : 8)
                events.append(t: u, x: x, y: y, p: UInt8((r >> 16) & 1))
                u += 500                                             // 2000 events/s
            }
            t += length
        }
        return try LearnStream.binned(name: "two-patterns", events: events, sensor: SensorSize(width: 16, height: 16),
                                      binWidth: binWidth, input: [2, 8, 8], schedule: LabelSchedule(intervals),
                                      classes: 2, reset: .never)
    }

    @Test("the default recipe beats the majority class by 10 points on frozen hold-out, at Δt 10, 20 and 30 ms",
          arguments: [10_000, 20_000, 30_000] as [Microseconds])
    func beatsMajority(binWidth: Microseconds) throws {
        let spec = try #require(Self.spec)
        let stream = try Self.stream(binWidth: binWidth, share: 0.7)
        let r = try LearnRun.run(stream, spec: spec, seed: 1, recipe: .standard(), lrFactor: 1)
        #expect(r.holdOut >= r.holdOutMajority + 0.10,
                "hold-out \(r.holdOut) against majority \(r.holdOutMajority) at \(binWidth / 1000) ms (prequential \(r.prequential))")
    }

    @Test("a learning rate of 1e-30 does no better than always guessing one class: the measure can fail")
    func noLearning() throws {
        let spec = try #require(Self.spec)
        let stream = try Self.stream(binWidth: 10_000, share: 0.5)
        var recipe = LearnRecipe.standard()
        recipe.learningRate = 1e-30
        recipe.standardizedRate = 1e-30              // the standardised weights too: nothing learns
        let r = try LearnRun.run(stream, spec: spec, seed: 1, recipe: recipe, lrFactor: 1e-27)
        #expect(r.holdOut <= r.holdOutMajority + 0.02, "hold-out \(r.holdOut) with nothing learned (majority \(r.holdOutMajority))")
    }

    @Test("a learning-rate factor scales every rate; holding the weights', it scales the learning rate alone")
    func factors() throws {
        let base = LearnRecipe.standard(), faster = LearnRecipe.standard(times: 3)
        #expect(base.standardizedRate == LearningRecipe.standard.standardizedRate)
        #expect(faster.learningRate == 3 * base.learningRate)
        #expect(faster.standardizedRate == 3 * LearningRecipe.standard.standardizedRate)
        let held = LearnRecipe.standard(times: 3, holdingWeights: true)
        #expect(held.learningRate == faster.learningRate && held.standardizedRate == base.standardizedRate)
        var settings = SessionSettings(sensor: SensorSize(width: 1, height: 1), binWidth: 10_000, learn: true)
        held.apply(to: &settings)
        #expect(settings.learningRate == held.learningRate && settings.standardizedRate == base.standardizedRate)

        // --ws-lr is the base the factor scales, or the rate held.
        var options = LearnBenchmark.Options()
        options.standardizedRate = 2e-3
        options.recipes = ["default"]
        let scaled = try #require(options.recipes(times: 3).first)
        #expect(options.recipes(times: 3).count == 1 && scaled.standardizedRate == 6e-3)
        options.holdingWeights = true
        #expect(options.recipes(times: 3).first?.standardizedRate == 2e-3)
        #expect(options.recipes(times: 3).first?.learningRate == 3 * LearningRecipe.standard.learningRate)
    }

    @Test("the default learns with the sessions' feature gradient, the per-bin recipes with the full one; --feature-gradient overrides the default's")
    func featureGradient() throws {
        #expect(LearnRecipe.standard().featureGradient == LearningRecipe.standard.featureGradient)
        #expect(LearnRecipe.suite(times: 1).filter { $0.name != "default" }.allSatisfy { $0.featureGradient == .full })
        var settings = SessionSettings(sensor: SensorSize(width: 1, height: 1), binWidth: 10_000, learn: true)
        settings.featureGradient = .tangent
        var recipe = LearnRecipe.standard()
        recipe.featureGradient = .full
        recipe.apply(to: &settings)
        #expect(settings.featureGradient == .full)
        var options = LearnBenchmark.Options()
        options.featureGradient = .full
        let recipes = options.recipes(times: 1)
        #expect(recipes.first { $0.name == "default" }?.featureGradient == .full)
        #expect(recipes.count == LearnRecipe.suite(times: 1).count)
    }

    @Test("the default learns with the sessions' plastic and stable channels, the per-bin recipes without; --plasticity overrides the default's")
    func plasticity() throws {
        #expect(LearnRecipe.standard().plasticity == LearningRecipe.standard.plasticity)
        #expect(LearnRecipe.suite(times: 1).filter { $0.name != "default" }.allSatisfy { $0.plasticity == nil })
        var settings = SessionSettings(sensor: SensorSize(width: 1, height: 1), binWidth: 10_000, learn: true)
        LearnRecipe.suite(times: 1)[1].apply(to: &settings)
        #expect(settings.plasticity == nil)
        var options = LearnBenchmark.Options()
        options.uniformChannels = true
        #expect(options.recipes(times: 1).first { $0.name == "default" }?.plasticity == nil)
        options = LearnBenchmark.Options()
        options.plasticity = ChannelPlasticity(spread: 3, stableBeta1: 0.99)
        #expect(options.recipes(times: 3).first { $0.name == "default" }?.plasticity?.spread == 3)
    }

    @Test("several seeds: the cell is their mean, with its range, and a seed changes the run")
    func seeds() throws {
        let spec = try #require(Self.spec)
        let stream = try Self.stream(binWidth: 20_000, share: 0.5, seconds: 20)
        let runs = try [1, 2].map { try LearnRun.run(stream, spec: spec, seed: $0, recipe: .standard(), lrFactor: 1) }
        #expect(runs[0].curve != runs[1].curve || runs[0].prequential != runs[1].prequential,
                "two network seeds learned exactly alike")
        let m = try #require(LearnResult.mean(of: runs))
        #expect(m.seeds == 2)
        #expect(abs(m.holdOut - (runs[0].holdOut + runs[1].holdOut) / 2) < 1e-12)
        #expect(abs(m.prequential - (runs[0].prequential + runs[1].prequential) / 2) < 1e-12)
        #expect(m.holdOutLow == runs.map(\.holdOut).min() && m.holdOutHigh == runs.map(\.holdOut).max())
        #expect(m.curve.count == min(runs[0].curve.count, runs[1].curve.count))
        #expect(LearnResult.mean(of: []) == nil)
        #expect(LearnResult.mean(of: [runs[0]])?.seeds == 1)
    }

    @Test("the goals are judged from the runs: a default far below the best fails")
    func goals() {
        func result(_ name: String, _ factor: Float, _ holdOut: Double) -> LearnResult {
            var recipe = LearnRecipe.standard(times: factor)
            recipe.name = name
            return LearnResult(stream: "s", binWidthMs: 10, recipe: recipe, lrFactor: factor, prequential: 0,
                               lastThousand: 0, majority: 0.5, echo: 0.9, holdOut: holdOut, holdOutMajority: 0.5,
                               labelledBins: 100, curve: [], seconds: 0, firstLayerRate: 0)
        }
        let good = LearnBenchmark.goals([result("default", 1, 0.9), result("adam-bin", 1, 0.92)], incremental: [])
        #expect(good.allSatisfy { $0.met })
        let bad = LearnBenchmark.goals([result("default", 1, 0.45), result("adam-bin", 1, 0.92)], incremental: [])
        #expect(bad.filter { !$0.met }.count == 3)
        // ×3 of every rate 6 points short of the best fails the rate goal, and the goal says which rates moved.
        let short = [result("default", 1, 0.9), result("default", 3, 0.84), result("adam-bin", 1, 0.9)]
        let every = LearnBenchmark.goals(short, incremental: [])
        #expect(every.filter { !$0.met }.map(\.name) == ["every rate ×1/3 … ×3 within 5 points of the best"])
        #expect(every.first { !$0.met }?.detail.contains("×3 84.0 vs best 90.0") == true)
        let held = LearnBenchmark.goals(short, incremental: [], holdingWeights: true)
        #expect(held.filter { !$0.met }.map(\.name) == ["lr ×1/3 … ×3 (the weights' rate held) within 5 points of the best"])
    }
}
