import DVSEvents
import EventBinning

/// What the pipeline reports beside each prediction: for the terminal view, the line printer and the final log.
public struct PipelineStatus: Sendable {
    /// Frames between the binner and the network: received, delivered, dropped, merged, blocked.
    public var frames = QueueTally()
    /// Events seen by the binner, and those it could not bin (late, off the sensor).
    public var eventsBinned = 0
    public var eventsLate = 0
    public var eventsOffSensor = 0
    /// Empty bins not stepped because a silent gap was longer than `--max-gap` (the binner skipped ahead).
    public var binsSkipped = 0
    /// Gaps longer than `--max-gap` that a paced replay skipped instead of waiting out.
    public var gapsSkipped = 0
    /// Frames whose time is too far from the stream's anchor to measure the lag (a jump of about 2⁶³ µs).
    public var clockJumps = 0
    /// Events per second of stream time, smoothed over about a second.
    public var eventRate = 0.0
    /// Seconds the learner is behind the stream's real time (nil at `--speed max`).
    public var lag: Double?
    /// Compute time of one step (predict + learn), seconds, over the recent bins.
    public var latencyP50: Double?
    public var latencyP99: Double?
    public var learning = false
    public var stopReason: String?
    public var metrics: PrequentialMetrics?

    public init() {}
}

/// How a run ended.
public struct PipelineSummary: Sendable {
    public var status: PipelineStatus
    public var steps: Int
    /// The source's error, if the stream ended with one (a lost camera, a corrupt file); everything before it was
    /// processed.
    public var sourceError: String?

    public init(status: PipelineStatus, steps: Int, sourceError: String?) {
        self.status = status
        self.steps = steps
        self.sourceError = sourceError
    }
}
