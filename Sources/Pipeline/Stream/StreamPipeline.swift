import DVSEvents
import EventBinning
import EventFormats
import Foundation

/// The always-on learner: source → streaming binner → network, on three threads joined by bounded queues.
///
///     reader thread:  source.read → chunk queue (blocking, a fixed pool of chunk buffers)
///     binner thread:  chunk → recording → FrameMaker → [journal schedule] → frame queue (policy `whenBehind`)
///     caller's thread: frame → label → LearnerStage (reset, step, score, learn, journal) → observer
///
/// Memory is fixed: `chunkBuffers` event buffers and `frameCapacity` frames in flight whatever the stream's length.
/// When the network falls behind, the frame queue blocks, drops the oldest frame or merges into the newest, and
/// counts it; the learner stage writes what happened to the journal, so a replay takes the same steps.
///
/// The run ends when the source ends, when the source throws (after every event received before is processed, the
/// last partial bin included), or after `stop()` (the reader stops; what is queued drains).
public final class StreamPipeline: @unchecked Sendable {
    // @unchecked: `source`, `frameMaker`, `recorder` and `schedule` belong to one thread each (reader, binner);
    // the queues carry the hand-offs; `lock` guards the few fields shared across threads.
    public struct Configuration: Sendable {
        public var whenBehind: BackpressurePolicy
        /// Frames between the binner and the network.
        public var frameCapacity = 8
        /// Event chunks between the reader and the binner.
        public var chunkBuffers = 4
        /// The stream's pace relative to real time, for the lag figure (1 live, the replay speed, nil at max).
        public var realTimeSpeed: Double?

        public init(whenBehind: BackpressurePolicy, realTimeSpeed: Double?) {
            self.whenBehind = whenBehind
            self.realTimeSpeed = realTimeSpeed
        }
    }

    public let configuration: Configuration
    private let source: any EventSource
    private let frameMaker: FrameMaker
    private let stage: LearnerStage
    private let labels: LabelFeed
    private let recorder: (any EventFileWriter)?
    private var schedule: JournalSchedule?
    private let lastJournalBin: Int?
    private let clock: any PipelineClock

    private let chunks: BoundedQueue<EventBuffer>
    private let freeChunks: BoundedQueue<EventBuffer>
    private let frames: BoundedQueue<BinnedFrame>
    private let lock = NSLock()
    private var stopRequested = false
    private var discardQueued = false
    private var sourceError: (any Error)?
    private var recorderError: (any Error)?
    private var anchor: (wall: Double, stream: Microseconds)?
    private var binnerReport: StreamingReport?
    /// The empty chunk `nextChunk` gives the recorder as a tick (binner thread only).
    private let idleTick = EventBuffer()

    /// `recorder` receives exactly the events given to the binner, in order, and is finished when the stream ends.
    /// A `.journal` label feed also replays the journal's merges and drops (and forces `.block`).
    public init(source: any EventSource, frameMaker: FrameMaker, stage: LearnerStage, labels: LabelFeed,
                recorder: (any EventFileWriter)? = nil, journalEnd: Int? = nil, configuration: Configuration,
                clock: any PipelineClock = SystemClock()) {
        self.source = source
        self.frameMaker = frameMaker
        self.stage = stage
        self.labels = labels
        self.recorder = recorder
        self.clock = clock
        var configuration = configuration
        if case .journal(let j) = labels {
            schedule = j
            configuration.whenBehind = .block
        }
        lastJournalBin = journalEnd
        self.configuration = configuration
        chunks = BoundedQueue(capacity: configuration.chunkBuffers, policy: .block)
        freeChunks = BoundedQueue(capacity: configuration.chunkBuffers + 1, policy: .block)
        for _ in 0...configuration.chunkBuffers { freeChunks.put(EventBuffer()) }
        frames = BoundedQueue(capacity: configuration.frameCapacity, policy: configuration.whenBehind) { $0.absorb($1) }
    }

    /// Asks the reader to stop (from any thread, a signal handler's flag, the observer); queued work drains.
    public func stop() {
        lock.lock(); stopRequested = true; lock.unlock()
        (source as? any InterruptibleSource)?.interrupt()         // a paced replay waiting out a gap stops waiting
    }

    /// Stops here: the reader stops and the frames already read ahead are not stepped (a stop at a stream
    /// position, such as `--stop-after`, ends there at any replay speed).
    public func stopHere() {
        lock.lock(); stopRequested = true; discardQueued = true; lock.unlock()
    }

    private var isStopping: Bool { lock.lock(); defer { lock.unlock() }; return stopRequested }
    private var isDiscarding: Bool { lock.lock(); defer { lock.unlock() }; return discardQueued }

    /// Runs the stream to its end on three threads, calling `observe` on this thread after every step. Throws the
    /// observer's or the journal's errors; the source's error (if any) is in the summary, after a clean shutdown.
    public func run(_ observe: (BinnedFrame, Prediction, PipelineStatus) throws -> Void) throws -> PipelineSummary {
        let reader = Thread { [self] in readLoop() }
        let binner = Thread { [self] in binLoop() }
        reader.name = "ottt-reader"
        binner.name = "ottt-binner"
        reader.start()
        binner.start()

        var status = PipelineStatus()
        var latency = LatencyStats()
        var origin: Microseconds?
        var failure: (any Error)?
        while let frame = frames.take() {
            origin = origin ?? frame.start
            let label = labels.label(for: frame, origin: origin!)
            let began = clock.now()
            let prediction: Prediction
            do {
                if try labels.takeReset(for: frame) { stage.learner.resetState() }      // a teacher's reset, journalled
                prediction = try stage.process(frame, label: label)
            } catch { failure = error; break }
            let finished = clock.now()
            latency.add(finished - began)
            update(&status, after: frame, latency: latency, now: finished)
            do { try observe(frame, prediction, status) } catch { failure = error; break }
            if isDiscarding { break }
        }
        if failure != nil || isDiscarding {
            stop()
            frames.close()
            while frames.take() != nil {}             // let a blocked binner finish
        }
        waitForExit(of: [reader, binner])
        update(&status, after: nil, latency: latency, now: clock.now())
        try stage.finishJournal()
        if let failure { throw failure }
        if let recorderError { throw recorderError }
        return PipelineSummary(status: status, steps: stage.state.steps, sourceError: sourceError.map { "\($0)" })
    }

    private func update(_ status: inout PipelineStatus, after frame: BinnedFrame?, latency: LatencyStats, now: Double) {
        status.frames = frames.counters
        lock.lock()
        let report = binnerReport
        let anchor = self.anchor
        lock.unlock()
        if let report {
            status.eventsBinned = report.events
            status.eventsLate = report.late + report.beforeStart
            status.eventsOffSensor = report.offSensor
            status.binsSkipped = report.skippedFrames
        }
        status.gapsSkipped = (source as? PacedEventSource)?.skippedGaps ?? 0
        // The quantiles sort the whole window (4096 samples): at every step that took a fifth of the learner
        // thread's time (perf on `ottt bench soak`); refreshed every 100 steps (a second at Δt = 10 ms) and at the end.
        if frame == nil || latency.total <= 100 || latency.total % 100 == 0 {
            status.latencyP50 = latency.p50
            status.latencyP99 = latency.p99
        }
        status.learning = stage.isLearning
        status.stopReason = stage.stopReason
        status.metrics = stage.metrics
        guard let frame else { return }
        // Times come from the file: a difference that does not fit in 64 bits is a clock jump, not a trap.
        let (width, wrapped) = frame.end.subtractingReportingOverflow(frame.start)
        let span = Double(wrapped ? 1 : max(width, 1)) / 1e6
        let weight = min(1, span)                                          // about a second of memory
        status.eventRate += weight * (Double(frame.events) / span - status.eventRate)
        if let speed = configuration.realTimeSpeed, let anchor {
            let (ahead, jumped) = frame.end.subtractingReportingOverflow(anchor.stream)
            if jumped {
                status.clockJumps += 1
            } else {
                status.lag = now - (anchor.wall + Double(ahead) / 1e6 / speed)
            }
        }
    }

    // MARK: Threads

    private func readLoop() {
        defer { chunks.close() }
        while !isStopping, let buffer = freeChunks.take() {
            do {
                guard try source.read(into: buffer) else { return }
            } catch {
                lock.lock(); sourceError = error; lock.unlock()
                return
            }
            // An empty chunk (a quiet camera) carries nothing: while none comes, the binner ticks the recorder.
            if buffer.isEmpty { freeChunks.put(buffer); continue }
            lock.lock()
            if anchor == nil { anchor = (clock.now(), buffer.t[buffer.count - 1]) }     // a live or paced chunk ends now
            lock.unlock()
            guard chunks.put(buffer) else { return }
        }
    }

    private func binLoop() {
        defer { frames.close() }
        var accepting = true
        func emit(_ frame: BinnedFrame) {
            guard accepting else { return }
            if var schedule {
                if let last = lastJournalBin, frame.bins.lowerBound > last { return }
                let admitted = schedule.admit(frame)
                self.schedule = schedule
                for f in admitted where !frames.put(f) { accepting = false }
            } else if !frames.put(frame) {
                accepting = false
            }
        }
        while let chunk = nextChunk() {
            if accepting && recorderError == nil, let recorder {
                do { try recorder.write(chunk) } catch {
                    lock.lock(); recorderError = error; stopRequested = true; lock.unlock()
                }
            }
            if accepting { frameMaker.push(chunk, emit: emit) }
            lock.lock(); binnerReport = frameMaker.report; lock.unlock()
            freeChunks.put(chunk)
        }
        // The stream ended (or failed): the open bin counts. After `stop()` it does not: a resumed session
        // starts again at its first event.
        if !isStopping || sourceError != nil { frameMaker.finish(emit: emit) }
        if var schedule, let last = schedule.finish() { _ = frames.put(last) }
        lock.lock(); binnerReport = frameMaker.report; lock.unlock()
        do { try recorder?.finish() } catch {
            lock.lock(); if recorderError == nil { recorderError = error }; lock.unlock()
        }
    }

    /// The next chunk (nil: the stream ended). With a recorder, every `recorderTick` seconds without one (a quiet
    /// camera, a paced replay waiting out a gap) the recorder is given an empty chunk: its clock tick, so that the
    /// events it holds reach the disk within its flush interval without waiting for the next chunk.
    private func nextChunk() -> EventBuffer? {
        guard let recorder else { return chunks.take() }
        while true {
            switch chunks.take(timeout: Self.recorderTick) {
            case .item(let chunk): return chunk
            case .ended: return nil
            case .timedOut:
                guard recorderError == nil else { continue }
                do { try recorder.write(idleTick) } catch {
                    lock.lock(); recorderError = error; stopRequested = true; lock.unlock()
                }
            }
        }
    }

    /// Seconds the binner waits for a chunk before it ticks the recorder.
    static let recorderTick = 0.1

    private func waitForExit(of threads: [Thread]) {
        // Foundation's Thread has no join: the queues closing is the signal; wait for the threads to be done.
        while threads.contains(where: { !$0.isFinished }) { usleep(1000) }
    }
}
