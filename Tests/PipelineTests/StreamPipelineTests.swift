import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// A source that delivers `events` in chunks and then fails, as an unplugged camera does.
final class UnpluggedSource: EventSource {
    struct Gone: Error, CustomStringConvertible { var description: String { "device gone" } }
    let info = StreamInfo(format: "test camera", sensor: testSensor)
    private let inner: ArraySource

    init(_ events: [Event]) { inner = ArraySource(events, sensor: testSensor, chunk: 100) }

    func read(into buffer: EventBuffer) throws -> Bool {
        guard try inner.read(into: buffer) else { throw Gone() }
        return true
    }
}

/// A camera that delivers `events` in one chunk and then falls quiet: its next read blocks (as a camera with nothing
/// to send does, without even an empty chunk) until the recording on disk holds every event, or 4 s, then ends.
final class QuietSource: EventSource {
    let info = StreamInfo(format: "quiet camera", sensor: testSensor)
    private let events: [Event]
    private let recording: String
    private var delivered = false
    /// Seconds from the start of the quiet until the events were on disk (nil: not within 4 s).
    private(set) var onDiskAfter: Double?

    init(_ events: [Event], recording: String) { (self.events, self.recording) = (events, recording) }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        if !delivered {
            for e in events { buffer.append(e) }
            delivered = true
            return true
        }
        let quiet = Date()
        while Date().timeIntervalSince(quiet) < 4 {
            if (try? EventFile.open(path: recording).readAll().count) == events.count {
                onDiskAfter = Date().timeIntervalSince(quiet)
                return false
            }
            usleep(20_000)
        }
        return false
    }
}

@Suite("StreamPipeline: threads, queues and endings")
struct StreamPipelineTests {
    @Test("block loses nothing: every bin reaches the learner once, in order")
    func blockDeliversEveryBin() throws {
        let events = syntheticEvents(count: 3000)
        let (trace, summary, _) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 37),
                                                 settings: testSettings(learn: false), labels: .none, whenBehind: .block,
                                                 stepDelay: 200)
        let lastBin = Int((events.last!.t - events.first!.t) / 5000)
        #expect(trace.bins == (0...lastBin).map { $0...$0 })
        #expect(summary.status.frames.dropped == 0 && summary.status.frames.merged == 0)
        #expect(summary.status.eventsBinned == events.count)
        #expect(summary.sourceError == nil)
    }

    @Test("merge and drop keep the queue bounded and count what they did", arguments: [BackpressurePolicy.merge, .drop])
    func fallingBehind(policy: BackpressurePolicy) throws {
        let events = syntheticEvents(count: 3000)
        let (trace, summary, _) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 500),
                                                 settings: testSettings(learn: false), labels: .none, whenBehind: policy,
                                                 stepDelay: 3000)
        let c = summary.status.frames
        #expect(c.received == c.delivered + c.dropped + c.merged)
        #expect(trace.bins.count == c.delivered)
        if policy == .merge {
            #expect(c.merged > 0 && c.dropped == 0)
            #expect(trace.bins.map(\.count).reduce(0, +) == c.received)   // every bin, some folded together
        } else {
            #expect(c.dropped > 0 && c.merged == 0)
            #expect(trace.bins.allSatisfy { $0.count == 1 })
        }
    }

    @Test("a source that fails mid-stream: everything received is processed, the recording is complete and readable")
    func unplugged() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        let recording = dir.appendingPathComponent("unplugged.aedat4").path
        let events = syntheticEvents(count: 2000)
        let (trace, summary, _) = try runSession(source: UnpluggedSource(events), settings: testSettings(),
                                                 labels: .board(teachingBoard()), whenBehind: .block, recordTo: recording)
        #expect(summary.sourceError == "device gone")
        #expect(summary.status.eventsBinned == events.count)
        #expect(trace.bins.last?.upperBound == Int((events.last!.t - events.first!.t) / 5000))   // the partial last bin too
        #expect(try EventFile.open(path: recording).readAll().events == events)
        #expect(try SessionJournal.read(path: SessionJournal.path(forRecording: recording)).isComplete)
    }

    @Test("a recording of a camera that falls quiet has its events on disk within about a second, not at the next chunk (#5)")
    func quietCameraRecording() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = dir.appendingPathComponent("quiet.aedat4").path
        let events = Array(syntheticEvents(count: 30))                      // far from a full packet
        let source = QuietSource(events, recording: recording)
        _ = try runSession(source: source, settings: testSettings(learn: false), whenBehind: .block, recordTo: recording)
        let after = try #require(source.onDiskAfter, "the events never reached the disk while the camera was quiet")
        #expect(after < 2, "on disk \(after) s into the quiet (flush interval 1 s)")
        #expect(try EventFile.open(path: recording).readAll().events == events)
    }

    @Test("lag is measured against the stream's real time when paced")
    func lag() throws {
        var plan = SessionPlan(settings: testSettings(learn: false),
                               start: .learner(TinyLearner(inputShape: [2, 4, 4], classes: 3)), sourceName: "paced")
        plan.pace = .factor(1)
        let session = try LearningSession(source: ArraySource(syntheticEvents(count: 1000), sensor: testSensor, chunk: 50),
                                          plan: plan)
        var lags: [Double] = []
        _ = try session.run { _, _, status in if let l = status.lag { lags.append(l) } }
        #expect(!lags.isEmpty)
        #expect(lags.allSatisfy { $0 > -0.02 && $0 < 1 })                  // about on time, never far ahead
    }

    @Test("a session driven by hand steps every frame its frame maker completes, as a benchmark drives it")
    func drivenByHand() throws {
        let session = try LearningSession(sensor: testSensor, plan: SessionPlan(
            settings: testSettings(), start: .learner(TinyLearner(inputShape: [2, 4, 4], classes: 3)), sourceName: "hand"))
        let chunk = EventBuffer()
        for e in syntheticEvents(count: 1000) { chunk.append(e) }
        var steps = 0
        try session.frameMaker.push(chunk) { frame in
            steps = try session.stage.process(frame, label: 1).step
        }
        #expect(steps == 9, "1000 events 50 µs apart close nine bins of 5 ms")
        #expect(session.stage.metrics.scored == 9)
    }
}
