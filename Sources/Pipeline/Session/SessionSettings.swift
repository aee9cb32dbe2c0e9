import DVSEvents
import EventBinning

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
    public var learningRate: Float
    public var momentum: Float
    public var gamma: Float
    /// Decay of the running sum of outputs.
    public var decay: Float
    public var reset: ResetPolicy
    public var labelNames: [String]

    public init(sensor: SensorSize, binWidth: Microseconds, origin: Microseconds? = nil, firstBin: Int = 0,
                resize: ResizeMode = .clean, frameValue: FrameValue = .counts, normalize: Bool = false,
                network: String = "", initialCheckpoint: String? = nil, learn: Bool, learningRate: Float = 0.01,
                momentum: Float = 0.9, gamma: Float = 0.001, decay: Float = 0.9, reset: ResetPolicy = .never,
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
        self.learningRate = learningRate
        self.momentum = momentum
        self.gamma = gamma
        self.decay = decay
        self.reset = reset
        self.labelNames = labelNames
    }

    public var sensor: SensorSize {
        get { SensorSize(width: sensorWidth, height: sensorHeight) }
        set { sensorWidth = newValue.width; sensorHeight = newValue.height }
    }
}

// Journals and running checkpoints hold the binning's modes by their raw values ("clean", "counts"), as they did
// when these were strings; the conformance is declared here, where it is needed, not in EventBinning.
extension ResizeMode: Codable {}
extension FrameValue: Codable {}
