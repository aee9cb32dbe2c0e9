import DVSEvents
import Foundation
import Pipeline
import SNN
import Training

/// How one run of `ottt bench learn` learns: the session settings' recipe fields, named for the tables.
public struct LearnRecipe: Sendable, Codable, Equatable {
    public var name: String
    public var optimizer: OptimizerKind
    public var learningRate: Float
    /// The scale-invariant weights' rate (the standardised convolutions', a normalised classifier's; nil:
    /// `learningRate`).
    public var standardizedRate: Float?
    public var momentum: Float = 0.9
    public var update: OnlineOTTTLearner.UpdateSchedule
    public var scaleInput: Bool
    /// Updates of warm-up (`LearningRecipe.warmUp`) and when classes are remembered (`ClassMemoryMode`).
    public var warmUp: Int = 0
    public var classMemory = ClassMemoryMode.off
    /// Per segment: the longest labelled stretch summed into one update, µs of stream (0: no cap).
    public var maxSegment: Microseconds = LearningRecipe.standard.maxSegment
    /// Whether the fresh network's classifier is weight-normalised (`LearningRecipe.normalizedClassifier`).
    public var normalizedClassifier = false
    /// What the classifier passes back to the convolutions (`LearningRecipe.featureGradient`).
    public var featureGradient = FeatureGradient.full
    /// The convolutions' plastic and stable channels (`LearningRecipe.plasticity`; nil: every channel alike).
    public var plasticity: ChannelPlasticity?

    /// The sessions' default (`LearningRecipe.standard`) at `factor` × its learning rate, and its scale-invariant
    /// weights at `factor` × `weightsRate` (default: the standard's) unless `holdingWeights` (what `--lr` alone does
    /// to `live`, `replay` and `demo`).
    public static func standard(times factor: Float = 1, holdingWeights: Bool = false,
                                weightsRate: Float? = nil) -> LearnRecipe {
        let s = LearningRecipe.standard
        return LearnRecipe(name: "default", optimizer: s.optimizer, learningRate: s.learningRate * factor,
                           standardizedRate: (weightsRate ?? s.standardizedRate) * (holdingWeights ? 1 : factor),
                           update: s.update, scaleInput: s.scaleInput,
                           warmUp: s.warmUp, classMemory: s.classMemory, normalizedClassifier: s.normalizedClassifier,
                           featureGradient: s.featureGradient, plasticity: s.plasticity)
    }

    /// The default with the class memory engaged from the first step (`--class-memory`), as the
    /// class-incremental measure compares it.
    public static var remembering: LearnRecipe {
        var r = standard()
        r.name = "default+memory"
        r.classMemory = .always
        return r
    }

    /// The default without a class memory (`--no-class-memory`): the class-incremental measure's baseline.
    public static var forgetting: LearnRecipe {
        var r = standard()
        r.name = "default-memory"
        r.classMemory = .off
        return r
    }

    /// The recipes compared at each learning-rate factor: the default (its weights' rate held or not), the old
    /// default (SGD per bin on raw input, base rate 0.01), Adam per bin (base 3e-4).
    public static func suite(times factor: Float, holdingWeights: Bool = false,
                             weightsRate: Float? = nil) -> [LearnRecipe] {
        [standard(times: factor, holdingWeights: holdingWeights, weightsRate: weightsRate),
         LearnRecipe(name: "sgd-bin-raw", optimizer: .sgd, learningRate: 0.01 * factor, update: .everyStep, scaleInput: false),
         LearnRecipe(name: "adam-bin", optimizer: .adam, learningRate: 3e-4 * factor, update: .everyStep, scaleInput: true)]
    }

    /// A fresh network on `spec` (with `classes` outputs when given) and this recipe's classifier.
    func freshNetwork(_ spec: NetworkSpec, classes: Int? = nil, seed: UInt64) -> Network {
        Network(spec: spec.withClassifier(classes: classes, normalized: normalizedClassifier), seed: seed)
    }

    func apply(to settings: inout SessionSettings) {
        settings.optimizer = optimizer
        settings.learningRate = learningRate
        settings.standardizedRate = standardizedRate
        settings.momentum = momentum
        settings.update = update
        settings.scaleInput = scaleInput
        settings.warmUp = warmUp
        settings.classMemory = classMemory
        settings.maxSegment = maxSegment
        settings.featureGradient = featureGradient
        settings.plasticity = plasticity
    }
}

/// What one run measured. Prequential figures are over the labelled bins of the first 70 % of the stream (each
/// scored before it is learned from); the frozen hold-out figures are the last 30 % scored with learning off and
/// the state reset — the honest judge, since prequential accuracy also rewards following the last label taught.
public struct LearnResult: Sendable, Codable {
    public var stream: String
    public var binWidthMs: Int
    public var recipe: LearnRecipe
    public var lrFactor: Float
    public var prequential: Double
    public var lastThousand: Double
    /// Predicting the majority class of the labelled bins learned from.
    public var majority: Double
    /// Predicting the previous labelled bin's label: a learner that looks at no pixel.
    public var echo: Double
    public var holdOut: Double
    /// The majority class of the hold-out part, predicted always.
    public var holdOutMajority: Double
    public var labelledBins: Int
    /// Rolling accuracy (over 200 labelled bins) against labelled bins seen, every 100.
    public var curve: [Double]
    public var seconds: Double
    /// Mean firing rate of the first spiking layer over the learning part (0: a silent network).
    public var firstLayerRate: Double
    /// Why learning stopped before the end of the learning part (a loss or weight not finite), nil when it did not.
    public var stopped: String?
    /// The network initialisations averaged (`mean(of:)`), and their lowest and highest hold-out accuracy.
    public var seeds = 1
    public var holdOutLow: Double?
    public var holdOutHigh: Double?

    /// The mean of runs of one cell with different network seeds: accuracies, baselines, rates and curves
    /// averaged, times summed, the hold-out range kept, the first reason a run stopped learning. Nil for no runs.
    public static func mean(of runs: [LearnResult]) -> LearnResult? {
        guard var m = runs.first else { return nil }
        guard runs.count > 1 else { return m }
        let n = Double(runs.count)
        func average(_ value: (LearnResult) -> Double) -> Double { runs.reduce(0) { $0 + value($1) } / n }
        m.prequential = average(\.prequential)
        m.lastThousand = average(\.lastThousand)
        m.majority = average(\.majority)
        m.echo = average(\.echo)
        m.holdOut = average(\.holdOut)
        m.holdOutMajority = average(\.holdOutMajority)
        m.firstLayerRate = average(\.firstLayerRate)
        let points = runs.map(\.curve.count).min() ?? 0
        m.curve = (0..<points).map { i in average { $0.curve[i] } }
        m.seconds = runs.reduce(0) { $0 + $1.seconds }
        m.stopped = runs.lazy.compactMap(\.stopped).first
        m.seeds = runs.count
        m.holdOutLow = runs.map(\.holdOut).min()
        m.holdOutHigh = runs.map(\.holdOut).max()
        return m
    }
}

enum LearnRun {
    /// Learns `stream`'s first 70 % with `recipe`, then scores its last 30 % frozen.
    static func run(_ stream: LearnStream, spec: NetworkSpec, seed: UInt64, recipe: LearnRecipe,
                    lrFactor: Float) throws -> LearnResult {
        let started = Date()
        var settings = SessionSettings(sensor: .init(width: 1, height: 1),
                                       binWidth: stream.binWidth, learn: true, reset: stream.reset)
        recipe.apply(to: &settings)
        let network = recipe.freshNetwork(spec, classes: stream.classes, seed: seed)
        let learner = LearningSession.engineLearner(network: network, settings: settings)
        let stage = LearnerStage(learner: learner, decay: settings.decay, reset: settings.reset, learn: true,
                                 scaleInput: settings.scaleInput)
        var hits: [Bool] = [], seen: [Int] = []
        var rate = 0.0, steps = 0
        for i in 0..<stream.holdOutStart {
            let p = try stage.process(stream.frames[i], label: stream.labels[i])
            rate += p.spikeRates.first ?? 0
            steps += 1
            if let l = stream.labels[i] { hits.append(p.predicted == l); seen.append(l) }
        }
        let stopped = stage.stopReason
        stage.freeze()
        var heldHits = 0, heldCount = 0
        var heldCounts = [Int](repeating: 0, count: stream.classes)
        for i in stream.holdOutStart..<stream.frames.count {
            let p = try stage.process(stream.frames[i], label: stream.labels[i])
            if let l = stream.labels[i] {
                heldCount += 1
                heldCounts[l] += 1
                if p.predicted == l { heldHits += 1 }
            }
        }
        var counts = [Int](repeating: 0, count: stream.classes)
        for l in seen { counts[l] += 1 }
        var echo = 0
        for i in seen.indices.dropFirst() where seen[i] == seen[i - 1] { echo += 1 }
        func fraction(_ k: Int, _ n: Int) -> Double { n == 0 ? 0 : Double(k) / Double(n) }
        var curve: [Double] = []
        var i = 100
        while i <= hits.count {
            let window = hits[max(0, i - 200)..<i]
            curve.append(fraction(window.filter { $0 }.count, window.count))
            i += 100
        }
        let tail = hits.suffix(1000)
        return LearnResult(stream: stream.name, binWidthMs: Int(stream.binWidth / 1000), recipe: recipe, lrFactor: lrFactor,
                           prequential: fraction(hits.filter { $0 }.count, hits.count),
                           lastThousand: fraction(tail.filter { $0 }.count, tail.count),
                           majority: fraction(counts.max() ?? 0, seen.count), echo: fraction(echo, max(seen.count - 1, 0)),
                           holdOut: fraction(heldHits, heldCount),
                           holdOutMajority: fraction(heldCounts.max() ?? 0, heldCount), labelledBins: hits.count,
                           curve: curve, seconds: Date().timeIntervalSince(started),
                           firstLayerRate: steps == 0 ? 0 : rate / Double(steps), stopped: stopped)
    }
}
