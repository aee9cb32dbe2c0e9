import DVSEvents
import EventBinning
import SNN
import Training

/// Everything that decides what a session's learner computes, besides its events and labels: written at the top of
/// the session journal so that `ottt replay` of a recording computes the same predictions and weights bit for bit.
/// The one settings type of a session: live, replay and demo sessions are built from it (`LiveSession`), and the
/// command line parses its flags into it.
///
/// A fresh session takes its sensor from the source and its network from the learner: the builder fills them in.
public struct SessionSettings: Codable, Sendable, Equatable {
    /// Sensor the events lie on.
    public var sensorWidth: Int
    public var sensorHeight: Int
    /// Δt, µs.
    public var binWidth: Microseconds
    /// Start of bin `firstBin` (nil: the first event's time), for sessions resumed from a checkpoint.
    public var origin: Microseconds?
    public var firstBin: Int
    /// How bins are resized to the network input (journals hold its raw value, `clean` or `paper`).
    public var resize: ResizeMode
    /// What a bin's pixel holds (journals hold `counts` or `binary`).
    public var frameValue: FrameValue
    /// Whether the paper's per-channel normalisation is applied.
    public var normalize: Bool
    /// The network, `CxHxW:words` (SNN's NetworkSpec).
    public var network: String
    /// The learner's weights, optimizer and neuron state when the session started (a checkpoint beside the
    /// recording), relative to the journal's folder.
    public var initialCheckpoint: String?
    public var learn: Bool
    /// How the learner learns (`LearningRecipe`): the optimizer, its rate and SGD's momentum, when it updates, and
    /// whether inputs are divided by a running RMS. A model continues with the optimizer it was saved with.
    public var optimizer: OptimizerKind
    public var learningRate: Float
    /// The weight-standardised convolutions' weights' rate (`LearningRecipe.standardizedRate`); nil: the learning
    /// rate, as sessions recorded before it learned and as a model continued without `--ws-lr` learns.
    public var standardizedRate: Float?
    public var momentum: Float
    public var update: OnlineOTTTLearner.UpdateSchedule
    /// Per segment: the longest stretch of labelled stream, µs, summed into one update (0: no cap).
    public var maxSegment: Microseconds
    /// Whether each input is divided by a running RMS of the inputs (`RunningRMS`).
    public var scaleInput: Bool
    /// Updates over which the steps ramp up (`LearningRecipe.warmUp`; 0: none).
    public var warmUp: Int
    /// When classes taught earlier are remembered by per-class prototypes (`ClassMemory`).
    public var classMemory: ClassMemoryMode
    /// What the classifier passes back to the features (`LearningRecipe.featureGradient`).
    public var featureGradient: FeatureGradient
    /// The convolutions' plastic and stable channels (`LearningRecipe.plasticity`); nil: every channel alike, as
    /// sessions recorded before it learned.
    public var plasticity: ChannelPlasticity?
    public var gamma: Float
    /// Decay of the running sum of outputs.
    public var decay: Float
    public var reset: ResetPolicy
    public var labelNames: [String]
    /// The longest silent gap, µs, filled with empty bins (`--max-gap`): a longer one (a camera reset, a corrupt
    /// timestamp) skips ahead, counted, and a paced replay does not wait it out.
    public var maxGap: Microseconds = SessionSettings.defaultMaxGap
    public static let defaultMaxGap: Microseconds = 10_000_000

    /// The empty bins a silent gap may fill: `maxGap` in bins of Δt, at least 1.
    public var maxSilentBins: Int { Int(max(1, maxGap / max(binWidth, 1))) }
    /// The label file a replay learned from (absolute), so that a resumed one reads the same labels.
    public var labelFile: String?
    /// The crop the source was read through (`--from`, `--until`, `--area`; an `EventCrop`'s description), nil for
    /// none: what the sensor above is a part of. A recording holds the cropped events, so its replay crops nothing.
    public var crop: String?

    public init(sensor: SensorSize, binWidth: Microseconds, origin: Microseconds? = nil, firstBin: Int = 0,
                resize: ResizeMode = .clean, frameValue: FrameValue = .counts, normalize: Bool = false,
                network: String = "", initialCheckpoint: String? = nil, learn: Bool,
                optimizer: OptimizerKind = LearningRecipe.standard.optimizer,
                learningRate: Float = LearningRecipe.standard.learningRate,
                standardizedRate: Float? = LearningRecipe.standard.standardizedRate, momentum: Float = 0.9,
                update: OnlineOTTTLearner.UpdateSchedule = LearningRecipe.standard.update,
                maxSegment: Microseconds = LearningRecipe.standard.maxSegment,
                scaleInput: Bool = LearningRecipe.standard.scaleInput,
                warmUp: Int = LearningRecipe.standard.warmUp, classMemory: ClassMemoryMode = LearningRecipe.standard.classMemory,
                featureGradient: FeatureGradient = LearningRecipe.standard.featureGradient,
                plasticity: ChannelPlasticity? = LearningRecipe.standard.plasticity,
                gamma: Float = 0.001, decay: Float = 0.9, reset: ResetPolicy = .never,
                labelNames: [String] = []) {
        sensorWidth = sensor.width
        sensorHeight = sensor.height
        self.binWidth = binWidth
        self.origin = origin
        self.firstBin = firstBin
        self.resize = resize
        self.frameValue = frameValue
        self.normalize = normalize
        self.network = network
        self.initialCheckpoint = initialCheckpoint
        self.learn = learn
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.standardizedRate = standardizedRate
        self.momentum = momentum
        self.update = update
        self.maxSegment = maxSegment
        self.scaleInput = scaleInput
        self.warmUp = warmUp
        self.classMemory = classMemory
        self.featureGradient = featureGradient
        self.plasticity = plasticity
        self.gamma = gamma
        self.decay = decay
        self.reset = reset
        self.labelNames = labelNames
    }

    public var sensor: SensorSize {
        get { SensorSize(width: sensorWidth, height: sensorHeight) }
        set { sensorWidth = newValue.width; sensorHeight = newValue.height }
    }

    /// Takes the optimizer's kind, rate and momentum (a model's, continued), so that a journal records them.
    public mutating func adopt(_ optimizer: OptimizerSettings) {
        self.optimizer = optimizer.kind
        learningRate = optimizer.learningRate
        momentum = optimizer.momentum
    }

    /// The learning steps a segment holds at most: `maxSegment` in bins of Δt, at least 1; nil when `maxSegment`
    /// is 0 (a segment ends only at a label change or a reset).
    public var maxSegmentSteps: Int? { maxSegment > 0 ? Int(max(1, maxSegment / max(binWidth, 1))) : nil }

    /// Takes what `learner` learns with, so that a journal records it and a replay rebuilds it.
    public mutating func adopt(_ learner: OnlineOTTTLearner) {
        adopt(learner.optimizer.settings)
        standardizedRate = learner.optimizer.standardizedRate
        update = learner.schedule
        maxSegment = learner.maxSegmentSteps.map { Microseconds($0) * binWidth } ?? 0
        warmUp = learner.warmUp ?? 0
        classMemory = ClassMemoryMode(learner.classMemory)
        featureGradient = learner.network.featureGradient
        plasticity = learner.optimizer.plasticity
    }

    /// Gives `learner` the warm-up, class memory, standardised weights' rate, channel plasticity and feature gradient
    /// these settings ask for.
    public func configure(_ learner: OnlineOTTTLearner) {
        learner.network.featureGradient = featureGradient
        learner.warmUp = warmUp > 0 ? warmUp : nil
        learner.classMemory = classMemory.memory
        learner.optimizer.standardizedRate = standardizedRate
        learner.optimizer.plasticity = plasticity
    }

    /// Reads settings written by any version: journals and running checkpoints written before the recipe was
    /// recorded learned with SGD one update per bin on raw inputs, and replay so.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sensorWidth = try c.decode(Int.self, forKey: .sensorWidth)
        sensorHeight = try c.decode(Int.self, forKey: .sensorHeight)
        binWidth = try c.decode(Microseconds.self, forKey: .binWidth)
        origin = try c.decodeIfPresent(Microseconds.self, forKey: .origin)
        firstBin = try c.decode(Int.self, forKey: .firstBin)
        resize = try c.decode(ResizeMode.self, forKey: .resize)
        frameValue = try c.decode(FrameValue.self, forKey: .frameValue)
        normalize = try c.decode(Bool.self, forKey: .normalize)
        network = try c.decode(String.self, forKey: .network)
        initialCheckpoint = try c.decodeIfPresent(String.self, forKey: .initialCheckpoint)
        learn = try c.decode(Bool.self, forKey: .learn)
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? .sgd
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        standardizedRate = try c.decodeIfPresent(Float.self, forKey: .standardizedRate)
        if let r = standardizedRate, !(r.isFinite && r >= 0) {
            throw DecodingError.dataCorruptedError(forKey: .standardizedRate, in: c,
                                                   debugDescription: "standardised weights' rate \(r)")
        }
        momentum = try c.decode(Float.self, forKey: .momentum)
        update = try c.decodeIfPresent(OnlineOTTTLearner.UpdateSchedule.self, forKey: .update) ?? .everyStep
        maxSegment = try c.decodeIfPresent(Microseconds.self, forKey: .maxSegment) ?? LearningRecipe.standard.maxSegment
        scaleInput = try c.decodeIfPresent(Bool.self, forKey: .scaleInput) ?? false
        warmUp = try c.decodeIfPresent(Int.self, forKey: .warmUp) ?? 0
        guard warmUp >= 0 && warmUp <= 1_000_000_000 else {
            throw DecodingError.dataCorruptedError(forKey: .warmUp, in: c, debugDescription: "warm-up \(warmUp) updates")
        }
        // Written before the modes: true (a memory from the first step) or false.
        if let on = try? c.decodeIfPresent(Bool.self, forKey: .classMemory) {
            classMemory = on ? .always : .off
        } else {
            classMemory = try c.decodeIfPresent(ClassMemoryMode.self, forKey: .classMemory) ?? .off
        }
        // Written before it was recorded: the full gradient.
        featureGradient = try c.decodeIfPresent(FeatureGradient.self, forKey: .featureGradient) ?? .full
        // Written before it was recorded: every channel alike.
        plasticity = try c.decodeIfPresent(ChannelPlasticity.self, forKey: .plasticity)
        if let p = plasticity, !p.isValid {
            throw DecodingError.dataCorruptedError(forKey: .plasticity, in: c, debugDescription:
                "channel plasticity spread \(p.spread), every \(p.plasticEvery), stable β₁ \(p.stableBeta1): expected a spread from 1 to 1000, every ≥ 1, 0 ≤ β₁ < 1")
        }
        gamma = try c.decode(Float.self, forKey: .gamma)
        decay = try c.decode(Float.self, forKey: .decay)
        reset = try c.decode(ResetPolicy.self, forKey: .reset)
        labelNames = try c.decode([String].self, forKey: .labelNames)
        // Written before --max-gap: the binner filled gaps of up to 100,000 bins.
        if let gap = try c.decodeIfPresent(Microseconds.self, forKey: .maxGap) {
            maxGap = gap
        } else {
            let (legacy, overflow) = binWidth.multipliedReportingOverflow(by: 100_000)
            maxGap = overflow ? .max : legacy
        }
        labelFile = try c.decodeIfPresent(String.self, forKey: .labelFile)
        crop = try c.decodeIfPresent(String.self, forKey: .crop)
    }
}

// Journals and running checkpoints hold the binning's modes by their raw values ("clean", "counts"), as they did
// when these were strings; the conformance is declared here, where it is needed, not in EventBinning.
extension ResizeMode: Codable {}
extension FrameValue: Codable {}

extension SessionSettings {
    /// The optimizer a new online learner starts with: the kind, rate and momentum chosen, with the standard
    /// recipe's online β₂ for Adam (`LearningRecipe.adamBeta2`). A model or checkpoint keeps the optimizer it saved.
    public var onlineOptimizer: OptimizerSettings {
        OptimizerSettings(kind: optimizer, learningRate: learningRate, momentum: momentum,
                          beta2: LearningRecipe.standard.adamBeta2)
    }
}
