import DVSEvents
import Foundation
import Pipeline
import SNN
import Tensors

/// What the browser view costs the learner: `LatencyBenchmark`'s per-bin timing, in alternating rounds without
/// and with a `LiveView` served and `clients` readers attached (A B, then B A, …, so that a drift of the
/// machine's load falls on both arms). Reports each arm's whole-bin wall p50/p99, the learner thread's CPU time
/// p50/p99 per bin (what a shared machine's other work does not inflate), the process's CPU time per bin (the
/// view's sender and the clients' threads included) and the ratios with / without.
public enum ViewLatencyBenchmark {
    public struct Options {
        public var networks: [(name: String, spec: NetworkSpec)] = []
        public var rate = 1_000_000
        public var binWidth: Microseconds = 10_000
        /// Timed bins per arm per round, and rounds (each has both arms).
        public var bins = 200
        public var rounds = 6
        /// Readers attached while the view is on.
        public var clients = 1
        public var address = "127.0.0.1"
        public var port = 0
        public var threads: Int?
        public init() {}
    }

    public struct Result: Codable, Sendable {
        public var benchmark = "latency-view"
        public var net: String
        public var eventsPerSecond: Int
        public var dtMicroseconds: Int
        public var clients: Int
        public var rounds: Int
        public var without: LatencyArm.Figures
        public var with: LatencyArm.Figures
        public var ratios: LatencyArm.Ratios
        /// Messages the least and the most served reader got, over all rounds with the view, and the messages the
        /// view replaced before a client took them.
        public var messagesMin: Int, messagesMax: Int
        public var clientDrops: Int
        public var loadBefore: LoadAverage?, loadAfter: LoadAverage?

        enum CodingKeys: String, CodingKey {
            case benchmark, net, clients, rounds, without, with, ratios
            case eventsPerSecond = "events_per_s", dtMicroseconds = "dt_us"
            case messagesMin = "messages_min", messagesMax = "messages_max", clientDrops = "client_drops"
            case loadBefore = "load_before", loadAfter = "load_after"
        }

        public var lines: [String] {
            func arm(_ title: String, _ f: LatencyArm.Figures) -> String {
                String(format: "  %@ %d bins: bin p50 %.3f ms p99 %.3f ms; learner CPU p50 %.3f ms p99 %.3f ms; "
                       + "process CPU %.3f ms/bin; other threads %.1f %% of a core", title, f.bins, f.binP50Milliseconds,
                       f.binP99Milliseconds, f.cpuP50Milliseconds, f.cpuP99Milliseconds, f.processCPUPerBinMilliseconds,
                       f.otherThreadsPercent)
            }
            let load = [loadBefore, loadAfter].compactMap { $0?.line }.joined(separator: " → ")
            return [
                String(format: "%@, %.2f M events/s, Δt %.1f ms, %d client(s), %d rounds (%@):", net,
                       Double(eventsPerSecond) / 1e6, Double(dtMicroseconds) / 1e3, clients, rounds, load),
                arm("without view", without), arm("with view   ", with),
                String(format: "  with/without: bin p50 ×%.3f p99 ×%.3f; learner CPU p50 ×%.3f p99 ×%.3f; process CPU ×%.3f; "
                       + "messages per client %d–%d, %d dropped", ratios.binP50, ratios.binP99, ratios.cpuP50,
                       ratios.cpuP99, ratios.processCPUPerBin, messagesMin, messagesMax, clientDrops),
            ]
        }
    }

    /// Measures every network in turn; `served` gets each view's URL when it starts (the first round with it).
    public static func run(_ options: Options, served: (String) -> Void = { _ in }, report: (Result) throws -> Void) throws {
        for (name, spec) in options.networks { try report(try measure(name, spec, options, served: served)) }
    }

    static func measure(_ name: String, _ spec: NetworkSpec, _ options: Options, served: (String) -> Void) throws -> Result {
        let defaultThreads = Parallel.width
        var learner = try TimedLearner(name: name, spec: spec, rate: options.rate, binWidth: options.binWidth,
                                       threads: options.threads)
        defer { Parallel.setWidth(defaultThreads) }
        let loadBefore = LoadAverage.current()
        for _ in 0..<20 { _ = learner.nextChunk(); _ = try learner.push() }        // warm-up
        var without = LatencyArm(), with = LatencyArm()
        var messages: [Int] = [], drops = 0
        for round in 0..<options.rounds {
            for viewOn in round % 2 == 0 ? [false, true] : [true, false] {
                if !viewOn {
                    try timeArm(&learner, bins: options.bins, into: &without, view: nil)
                    continue
                }
                let view = try ViewAttachment(spec: spec, rate: options.rate, address: options.address, port: options.port,
                                              clients: options.clients)
                if round == 0 { served(view.view.url) }
                let before = view.messages
                try timeArm(&learner, bins: options.bins, into: &with, view: view)
                let after = view.messages
                drops += view.drops
                view.detach()
                if messages.isEmpty { messages = [Int](repeating: 0, count: after.count) }
                for i in messages.indices { messages[i] += after[i] - before[i] }
            }
        }
        let (a, b) = (with.figures, without.figures)
        return Result(net: name, eventsPerSecond: options.rate, dtMicroseconds: Int(options.binWidth), clients: options.clients,
                      rounds: options.rounds, without: b, with: a, ratios: LatencyArm.Ratios(with: a, without: b),
                      messagesMin: messages.min() ?? 0, messagesMax: messages.max() ?? 0, clientDrops: drops,
                      loadBefore: loadBefore, loadAfter: LoadAverage.current())
    }

    /// Times `bins` bins into `arm`; with a view, its canvas takes each bin's events before the bin (untimed, as a
    /// reader thread would) and its `observe` runs after each step (timed, as on the learner's thread).
    static func timeArm(_ learner: inout TimedLearner, bins: Int, into arm: inout LatencyArm, view: ViewAttachment?) throws {
        let (processBegan, threadBegan, wallBegan) = (Clocks.processCPU(), Clocks.threadCPU(), Clocks.wall())
        for _ in 0..<bins {
            let chunk = learner.nextChunk()
            view?.canvas.add(chunk)
            let t = try learner.push(observe: view.map { v in { v.observe($0, $1) } })
            arm.add(wall: t.total, cpu: t.cpu, step: t.step)
        }
        arm.addStretch(processCPU: Clocks.processCPU() - processBegan, learnerCPU: Clocks.threadCPU() - threadBegan,
                       wall: Clocks.wall() - wallBegan)
    }
}
