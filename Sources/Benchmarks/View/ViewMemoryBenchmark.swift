import DVSEvents
import Foundation
import Pipeline
import SNN
import Tensors

/// Whether the browser view's memory stays flat: the learner fed a synthetic stream paced to real time (bin k
/// is pushed k·Δt after the start) for `seconds`, the view served with `clients` readers attached, and the
/// process's resident memory sampled every `every` seconds. A browser may attach to the same view meanwhile
/// (tools/web-view-fps.py does, to measure the page's frame rate on this stream).
public enum ViewMemoryBenchmark {
    public struct Options {
        public var name = "small32"
        public var spec: NetworkSpec
        public var rate = 1_000_000
        public var binWidth: Microseconds = 10_000
        public var seconds = 60.0
        public var every = 1.0
        /// Seconds of stream before the growth is measured from (the first sample at or after it).
        public var warmUp = 5.0
        public var clients = 10
        public var address = "127.0.0.1"
        public var port = 0
        public var threads: Int?
        public init(spec: NetworkSpec) { self.spec = spec }
    }

    public struct Result: Codable, Sendable {
        public var benchmark = "latency-view-memory"
        public var net: String
        public var eventsPerSecond: Int
        public var clients: Int
        public var seconds: Double
        /// Resident memory (MiB) at the first sample, after the warm-up, at the end, and the largest sample.
        public var startMiB: Double, warmMiB: Double, endMiB: Double, maxMiB: Double
        /// Growth from the warm sample to the end.
        public var growthMiB: Double
        /// Events per wall second the paced stream reached (below the rate when the learner cannot keep up).
        public var eventsPerWallSecond: Double
        public var messagesMin: Int, messagesMax: Int
        public var clientDrops: Int
        public var loadBefore: LoadAverage?, loadAfter: LoadAverage?

        enum CodingKeys: String, CodingKey {
            case benchmark, net, clients, seconds
            case eventsPerSecond = "events_per_s", startMiB = "start_mib", warmMiB = "warm_mib", endMiB = "end_mib"
            case maxMiB = "max_mib", growthMiB = "growth_mib", eventsPerWallSecond = "events_per_wall_s"
            case messagesMin = "messages_min", messagesMax = "messages_max", clientDrops = "client_drops"
            case loadBefore = "load_before", loadAfter = "load_after"
        }

        init(_ options: Options, trace: MemoryTrace, events: Int, wall: Double, messages: [Int], drops: Int,
             load: LoadAverage?) throws {
            guard let first = trace.samples.first, let growth = trace.growth, let top = trace.largest else {
                throw BenchmarkFailure("view memory: no sample after the \(options.warmUp) s warm-up")
            }
            func mib(_ m: ResidentMemory) -> Double { Double(m.resident) / 1_048_576 }
            net = options.name
            eventsPerSecond = options.rate
            clients = options.clients
            seconds = wall
            startMiB = mib(first.memory)
            warmMiB = mib(growth.from.memory)
            endMiB = mib(growth.to.memory)
            maxMiB = mib(top.memory)
            growthMiB = Double(growth.bytes) / 1_048_576
            eventsPerWallSecond = wall > 0 ? Double(events) / wall : 0
            messagesMin = messages.min() ?? 0
            messagesMax = messages.max() ?? 0
            clientDrops = drops
            loadBefore = load
            loadAfter = LoadAverage.current()
        }

        public var line: String {
            let load = [loadBefore, loadAfter].compactMap { $0?.line }.joined(separator: " → ")
            return String(format: "%@, %d client(s), %.0f s at %.2f M events/s (reached %.2f M/s): resident %.1f MiB at the "
                          + "start, %.1f after the warm-up, %.1f at the end, %.1f at most (growth %+.2f MiB); "
                          + "messages per client %d–%d, %d dropped (%@)", net, clients, seconds,
                          Double(eventsPerSecond) / 1e6, eventsPerWallSecond / 1e6, startMiB, warmMiB, endMiB, maxMiB,
                          growthMiB, messagesMin, messagesMax, clientDrops, load)
        }
    }

    /// Runs the paced stream; `served` gets the view's URL once the clients are attached, `sampled` each sample.
    public static func run(_ options: Options, served: (String) -> Void = { _ in },
                           sampled: (MemoryTrace.Sample) -> Void = { _ in }) throws -> Result {
        let defaultThreads = Parallel.width
        var learner = try TimedLearner(name: options.name, spec: options.spec, rate: options.rate,
                                       binWidth: options.binWidth, threads: options.threads)
        defer { Parallel.setWidth(defaultThreads) }
        let load = LoadAverage.current()
        let view = try ViewAttachment(spec: options.spec, rate: options.rate, address: options.address, port: options.port,
                                      clients: options.clients)
        defer { view.detach() }
        served(view.view.url)
        var trace = MemoryTrace(warmUp: options.warmUp)
        let started = Clocks.wall()
        var nextSample = 0.0
        var events = 0
        while true {
            let wall = Clocks.wall() - started
            if wall >= nextSample {
                guard let memory = ResidentMemory.current() else { throw BenchmarkFailure("view memory: /proc/self/status unreadable") }
                let sample = MemoryTrace.Sample(stream: wall, wall: wall, memory: memory)
                trace.add(sample)
                sampled(sample)
                nextSample += options.every
            }
            if wall >= options.seconds { break }
            let due = Double(learner.bin) * Double(options.binWidth) / 1e6
            if due > wall { usleep(UInt32((min(due, nextSample, options.seconds) - wall) * 1e6) + 1); continue }
            let chunk = learner.nextChunk()
            view.canvas.add(chunk)
            _ = try learner.push { view.observe($0, $1) }
            events += chunk.count
        }
        return try Result(options, trace: trace, events: events, wall: Clocks.wall() - started, messages: view.messages,
                          drops: view.drops, load: load)
    }
}
