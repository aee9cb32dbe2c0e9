import DVSEvents

/// The simulator as an `EventSource`: labelled samples of a task one after another, delivered in chunks.
///
/// For learning online, each chunk belongs to exactly one sample and `chunkSpan` says which (its label and its
/// start and end), so that a learner can score its prediction before it learns from the label (test-then-train).
/// Samples follow each other after `gap` µs of silence; sample i is the same as `SampleGenerator` makes alone.
public final class SyntheticStream: EventSource {
    public let info: StreamInfo
    /// How many samples the stream holds; nil for an endless stream.
    public let sampleCount: Int?
    /// Silence between samples, in µs.
    public let gap: Microseconds
    /// Longest time a chunk covers, in µs.
    public let chunkDuration: Microseconds
    /// The sample the last chunk belongs to (nil before the first read and after the end).
    public private(set) var chunkSpan: SampleSpan?

    private var generator: SampleGenerator
    private let pending = EventBuffer(capacity: 16_384)
    /// Next event of `pending` to deliver, and the start of the next chunk's time window.
    private var position = 0
    private var windowStart: Microseconds = 0
    private var current: SampleSpan?
    private var nextIndex = 0
    private var nextStart: Microseconds = 0

    /// A stream of `sampleCount` samples (nil: endless) of `task`, reproducible from `seed`.
    public init(task: SyntheticTask, settings: SimulationSettings, seed: UInt64, sampleCount: Int? = nil,
                gap: Microseconds = 0, chunkDuration: Microseconds = 10_000) {
        precondition(sampleCount.map { $0 >= 0 } ?? true, "a stream holds zero or more samples, got \(sampleCount!)")
        precondition(gap >= 0 && chunkDuration > 0, "gap ≥ 0 and chunk duration > 0, got \(gap) and \(chunkDuration) µs")
        generator = SampleGenerator(task: task, settings: settings, seed: seed)
        self.sampleCount = sampleCount
        self.gap = gap
        self.chunkDuration = chunkDuration
        info = StreamInfo(format: "simulator", sensor: settings.sensor, properties: [
            ("task", task.name),
            ("classes", task.classNames.joined(separator: ",")),
            ("seed", String(seed)),
            ("samples", sampleCount.map(String.init) ?? "endless"),
            ("sample duration", "\(settings.sampleDuration) µs"),
            ("frame rate", "\(1_000_000 / settings.frameInterval) Hz"),
        ])
    }

    public var task: SyntheticTask { generator.task }

    /// Where sample `index` lies in the stream and its label, known before it is simulated: samples follow each
    /// other every sampleDuration + gap µs. For label schedules made ahead of the stream.
    public func span(ofSample index: Int) -> SampleSpan {
        precondition(index >= 0, "sample indices start at 0, got \(index)")
        let start = Microseconds(index) * (generator.settings.sampleDuration + gap)
        return SampleSpan(index: index, label: generator.label(ofSample: index), start: start,
                          end: start + generator.settings.sampleDuration)
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        if current.map({ windowStart >= $0.end }) ?? true {
            if let sampleCount, nextIndex >= sampleCount {
                chunkSpan = nil
                return false
            }
            pending.removeAll()
            position = 0
            let span = generator.generate(sample: nextIndex, startingAt: nextStart, into: pending)
            current = span
            nextIndex += 1
            nextStart = span.end + gap
            windowStart = span.start
        }
        let span = current!
        // Windows of chunkDuration from the sample's start, the last one cut at its end.
        let limit = min(windowStart + chunkDuration, span.end)
        let times = pending.t
        var stop = position
        while stop < times.count && times[stop] < limit { stop += 1 }
        buffer.append(contentsOf: pending, range: position..<stop)
        position = stop
        windowStart = limit
        chunkSpan = span
        return true
    }
}
