import Foundation
import Pipeline
import SNN
import Testing
@testable import Benchmarks

@Suite("the browser view's benchmarks", .serialized)
struct ViewBenchmarkTests {
    @Test("an arm's figures are the nearest-rank quantiles of its bins, in milliseconds")
    func figures() {
        var arm = LatencyArm()
        let walls = (1...200).map { Double($0) / 1000 }
        for w in walls.shuffled() { arm.add(wall: w, cpu: w / 2, step: w / 4) }
        arm.addStretch(processCPU: 0.3, learnerCPU: 0.2, wall: 0.5)
        arm.addStretch(processCPU: 0.1, learnerCPU: 0.1, wall: 0.5)
        var stats = LatencyStats(capacity: walls.count)
        for w in walls { stats.add(w) }
        let f = arm.figures
        #expect(f.bins == 200)
        #expect(f.binP50Milliseconds == (stats.p50 ?? -1) * 1e3)
        #expect(f.binP99Milliseconds == (stats.quantile(0.99) ?? -1) * 1e3)
        #expect(f.cpuP99Milliseconds == f.binP99Milliseconds / 2)
        #expect(abs(f.processCPUPerBinMilliseconds - 0.4 / 200 * 1e3) < 1e-12)
        #expect(abs(f.otherThreadsPercent - 10) < 1e-9)           // 0.1 s of other threads over 1 s
        #expect(LatencyArm().figures.bins == 0 && LatencyArm().figures.binP99Milliseconds == 0)
    }

    @Test("the ratios are with over without; a zero baseline gives nan, not infinity")
    func ratios() {
        var without = LatencyArm(), with = LatencyArm()
        for w in [0.002, 0.004, 0.008] {
            without.add(wall: w, cpu: w, step: w)
            with.add(wall: w * 1.25, cpu: w * 1.5, step: w)
        }
        without.addStretch(processCPU: 0.01, learnerCPU: 0.01, wall: 1)
        with.addStretch(processCPU: 0.02, learnerCPU: 0.01, wall: 1)
        let r = LatencyArm.Ratios(with: with.figures, without: without.figures)
        #expect(abs(r.binP50 - 1.25) < 1e-12 && abs(r.binP99 - 1.25) < 1e-12)
        #expect(abs(r.cpuP50 - 1.5) < 1e-12 && abs(r.cpuP99 - 1.5) < 1e-12)
        #expect(abs(r.processCPUPerBin - 2) < 1e-12)
        #expect(LatencyArm.Ratios(with: with.figures, without: LatencyArm().figures).binP99.isNaN)
    }

    @Test("the load average is read from /proc/loadavg's text", arguments: [
        ("0.52 0.58 0.59 1/467 12345\n", LoadAverage(one: 0.52, five: 0.58, fifteen: 0.59)),
        ("2.73 2.77 2.84 3/900 1", LoadAverage(one: 2.73, five: 2.77, fifteen: 2.84)),
        ("", nil), ("1.0 two 3.0 1/2 3", nil), ("1.0 2.0", nil),
    ] as [(String, LoadAverage?)])
    func load(text: String, expected: LoadAverage?) {
        #expect(LoadAverage(text: text) == expected)
    }

    @Test("a client on this machine connects to loopback for a server bound to any address", arguments: [
        ("0.0.0.0", "127.0.0.1"), ("::", "::1"), ("127.0.0.1", "127.0.0.1"), ("192.168.1.7", "192.168.1.7"),
    ])
    func clientHost(address: String, host: String) {
        #expect(ViewAttachment.clientHost(address) == host)
    }

    static let spec = NetworkSpec.preset("small32")

    @Test("attaching serves the view with every client counted and greeted; detaching closes them")
    func attach() throws {
        let spec = try #require(Self.spec)
        let view = try ViewAttachment(spec: spec, rate: 1000, address: "127.0.0.1", port: 0, clients: 3)
        #expect(view.readers.count == 3 && view.view.clientCounts.count == 3)
        #expect(view.messages.allSatisfy { $0 >= 1 })
        let readers = view.readers
        view.detach()
        #expect(view.readers.isEmpty)
        #expect(readers.allSatisfy { $0.messages >= 1 })
        // A token-guarded view (beyond loopback) admits the clients, which carry its token.
        let guarded = try ViewAttachment(spec: spec, rate: 1000, address: "127.0.0.2", port: 0, clients: 1)
        #expect(guarded.view.access.token != nil && guarded.view.clientCounts.count == 1)
        guarded.detach()
    }

    @Test("a short alternating run times both arms alike and counts the clients' messages")
    func alternating() throws {
        var options = ViewLatencyBenchmark.Options()
        options.networks = [("small32", try #require(Self.spec))]
        (options.rate, options.bins, options.rounds, options.clients) = (20_000, 3, 2, 2)
        var results: [ViewLatencyBenchmark.Result] = []
        var urls: [String] = []
        try ViewLatencyBenchmark.run(options, served: { urls.append($0) }) { results.append($0) }
        let r = try #require(results.first)
        #expect(results.count == 1 && urls.count == 1 && urls[0].hasPrefix("http://127.0.0.1:"))
        #expect(r.with.bins == 6 && r.without.bins == 6 && r.clients == 2 && r.rounds == 2)
        #expect(r.with.binP99Milliseconds > 0 && r.without.cpuP99Milliseconds > 0)
        #expect(r.messagesMin >= 0 && r.messagesMin <= r.messagesMax)
        #expect(r.lines.count == 4)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any]
        #expect((json?["ratios"] as? [String: Any])?["bin_p99"] != nil)
    }

    @Test("a short memory run samples resident memory with the clients attached")
    func memory() throws {
        var options = ViewMemoryBenchmark.Options(spec: try #require(Self.spec))
        (options.rate, options.seconds, options.every, options.warmUp, options.clients) = (20_000, 1.5, 0.25, 0.5, 2)
        var samples: [MemoryTrace.Sample] = []
        let r = try ViewMemoryBenchmark.run(options, sampled: { samples.append($0) })
        #expect(samples.count >= 3)
        #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.wall <= $1.wall })
        #expect(r.maxMiB >= r.startMiB && r.maxMiB >= r.endMiB && r.maxMiB >= r.warmMiB)
        #expect(r.maxMiB == Double(samples.map(\.memory.resident).max() ?? 0) / 1_048_576)
        #expect(r.clients == 2 && r.eventsPerWallSecond > 0)
    }
}
