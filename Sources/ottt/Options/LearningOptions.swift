import DVSEvents
import Pipeline
import SNN
import Training

/// How the learner learns, the same words on `live`, `replay` and `demo`: `--optimizer`, `--lr`, `--ws-lr`,
/// `--classifier`, `--momentum`, `--update`, `--input-scale`, `--class-memory`, `--no-class-memory`. What is not given keeps the standard recipe (`LearningRecipe.standard`) for a
/// fresh network and the saved optimizer for a model.
struct LearningOptions {
    static let usage = """
      --optimizer adam|sgd  the optimizer (default adam; a --model continues with the one it was saved with, its
                            moments or momentum included)
      --lr X                learning rate (default \(LearningRecipe.standard.learningRate); a --model keeps its own)
      --ws-lr X             the rate of the weights whose scale does not matter (the weight-standardised
                            convolutions', every other channel at 2× it and the rest at ½×, and a normalised
                            classifier's), kept whatever --lr (default \(LearningRecipe.standard.standardizedRate);
                            a --model keeps the rate it recorded): a rate turns them, and 3×
                            faster loses what they learned (README, "Learning online")
      --classifier normalized|plain  a fresh network's classifier: normalized (fcnN, the default for a
                            preset): each class's weights a direction (turned at --ws-lr) times a gain (at --lr);
                            plain (fcN): the weights themselves, at --lr. --net words keep the classifier they name
      --momentum X          SGD's momentum (default 0.9)
      --update segment|bin  segment (default): the gradients of a labelled stretch summed into one update when the
                            label changes, the stream falls silent (a reset) or \(LearningRecipe.standard.maxSegment / 1000) ms of labelled stream
                            have passed (OTTT_A over the stretch); bin: one update per labelled bin (OTTT_O)
      --input-scale rms|none  rms (default): divide every bin by a running RMS of the input (1 s of stream), so
                            the network sees the same scale at any Δt and event rate; none: raw event counts
      --class-memory        remember classes taught earlier from the first step: predict by per-class
                            prototypes of the last layer's traces while the convolutions settle; a single set of
                            classes scores 5–15 points lower (README, "Learning online")
      --no-class-memory     never remember them. By default the memory engages when a class is first taught after
                            the first \(ClassMemory.newClassAfter) updates (a class added to a network that learned others), holding the
                            convolutions, until every class has been taught again within \(ClassMemory.newClassRecent) bins: digits 0–4 stay
                            at 90 % after 5–9 are taught (0 % without), and a stream whose classes all come early
                            never engages it
    """

    var choice = OptimizerChoice()
    var update: OnlineOTTTLearner.UpdateSchedule?
    var scaleInput: Bool?
    var classMemory: ClassMemoryMode?
    /// Whether a fresh network's classifier is weight-normalised (`--classifier`); nil when not given.
    var normalizedClassifier: Bool?

    init(_ a: inout Arguments) throws {
        choice.kind = try a.option("optimizer").map { w in
            guard let k = OptimizerKind(rawValue: w) else { throw UsageError("--optimizer: use adam or sgd, not '\(w)'") }
            return k
        }
        choice.learningRate = try a.option("lr").map { w in
            guard let x = Float(w), x > 0, x.isFinite else { throw UsageError("--lr: a positive number, not '\(w)'") }
            return x
        }
        choice.standardizedRate = try a.nonNegativeNumber("ws-lr")
        choice.momentum = try a.option("momentum").map { w in
            guard let x = Float(w), x >= 0, x < 1 else { throw UsageError("--momentum: a number in [0, 1), not '\(w)'") }
            return x
        }
        update = try a.option("update").map { w in
            guard let u = OnlineOTTTLearner.UpdateSchedule(naming: w) else {
                throw UsageError("--update: use segment or bin, not '\(w)'")
            }
            return u
        }
        scaleInput = try a.option("input-scale").map { w in
            switch w {
            case "rms": return true
            case "none": return false
            default: throw UsageError("--input-scale: use rms or none, not '\(w)'")
            }
        }
        if let w = try a.option("classifier") {
            switch w {
            case "normalized": normalizedClassifier = true
            case "plain": normalizedClassifier = false
            default: throw UsageError("--classifier: use normalized or plain, not '\(w)'")
            }
        }
        switch (a.flag("class-memory"), a.flag("no-class-memory")) {
        case (true, true): throw UsageError("--class-memory and --no-class-memory: give one")
        case (true, false): classMemory = .always
        case (false, true): classMemory = .off
        case (false, false): classMemory = nil
        }
    }

    /// The network a fresh learner starts from: `network`'s, its classifier as `--classifier` asks, else as its
    /// `--net` words name it, else (a preset) as the standard recipe has it.
    func freshSpec(_ network: NetworkOptions) throws -> NetworkSpec {
        let spec = try network.spec()
        if let normalizedClassifier { return spec.withClassifier(normalized: normalizedClassifier) }
        return network.isPreset ? LearningRecipe.standard.freshSpec(spec) : spec
    }

    /// `settings` with the values given (for a fresh learner: the optimizer's too).
    func apply(to settings: inout SessionSettings) {
        if let k = choice.kind { settings.optimizer = k }
        if let lr = choice.learningRate { settings.learningRate = lr }
        if let r = choice.standardizedRate { settings.standardizedRate = r }
        if let m = choice.momentum { settings.momentum = m }
        if let u = update { settings.update = u }
        if let s = scaleInput { settings.scaleInput = s }
        if let c = classMemory { settings.classMemory = c }
    }
}
