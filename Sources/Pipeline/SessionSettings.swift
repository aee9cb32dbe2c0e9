import DVSEvents

/// Everything that decides what a session's learner computes, besides its events and labels: written at the top of
/// the session journal so that `ottt replay` of a recording computes the same predictions and weights bit for bit.
public struct SessionSettings: Codable, Sendable, Equatable {
    /// Sensor the events lie on.
    public var sensorWidth: Int
    public var sensorHeight: Int
    /// Δt, µs.
    public var binWidth: Microseconds
    /// Start of bin `firstBin` (nil: the first event's time), for sessions resumed from a checkpoint.
    public var origin: Microseconds?
    public var firstBin: Int
    /// `clean` or `paper` (EventBinning's resize modes).
    public var resize: String
    /// `counts` or `binary` (EventBinning's frame values).
    public var frameValue: String
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
                resize: String = "clean", frameValue: String = "counts", normalize: Bool = false,
                network: String, initialCheckpoint: String? = nil, learn: Bool, learningRate: Float = 0.01,
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

    public var sensor: SensorSize { SensorSize(width: sensorWidth, height: sensorHeight) }
}
