import DVSEvents
import Foundation
import Testing
@testable import Benchmarks

@Suite("bin, synth, usb-decode and cache benchmarks")
struct SmallBenchmarkTests {
    @Test("bin checks its binnings and reports every split without peer figures")
    func bin() throws {
        var options = BinBenchmark.Options()
        (options.events, options.runs) = (50_000, 1)
        var results: [BinBenchmark.Result] = []
        try BinBenchmark.run(options) { results.append($0) }
        #expect(results.map(\.split) == ["count", "time", "stream", "stream+copy"])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(results[0])) as? [String: Any])
        #expect(object["mevents_per_s"] != nil && object["ratios"] == nil && object["split"] as? String == "count")
    }

    @Test("synthetic events are time-sorted and on the sensor")
    func synthetic() {
        let sensor = SensorSize(width: 40, height: 30)
        let b = SyntheticEvents.uniform(1000, sensor: sensor, seed: 3)
        #expect(b.count == 1000 && zip(b.t, b.t.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(b.x.allSatisfy { $0 < 40 } && b.y.allSatisfy { $0 < 30 })
    }

    @Test("usb-decode decodes every family back to its events")
    func usb() throws {
        var options = USBDecodeBenchmark.Options()
        (options.events, options.runs) = (20_000, 1)
        var families: [String] = []
        try USBDecodeBenchmark.run(options) { families.append($0.family) }
        #expect(families == ["DVS128", "DAVIS346", "DVXplorer"])
    }

    @Test("synth reports each task")
    func synth() throws {
        var options = SynthBenchmark.Options()
        options.samples = 2
        var tasks = 0
        try SynthBenchmark.run(options) { r in tasks += 1; #expect(r.eventsPerSample > 0) }
        #expect(tasks > 0)
    }

    @Test("cache reads back what it wrote")
    func cache() throws {
        var options = CacheBenchmark.Options()
        (options.samples, options.events) = (4, 2000)
        let r = try CacheBenchmark.run(options)
        #expect(r.samples == 4 && r.readSamplesPerSecond > 0 && r.makeSamplesPerSecond > 0)
    }
}
