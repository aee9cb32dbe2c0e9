import Foundation
import DVSEvents
import EventBinning
import Datasets

/// `ottt bench cache`: reading frames from the memory-mapped frame cache against making them from events.
struct CacheBenchmark: Command {
    static let name = "cache"
    static let abstract = "Frame cache: samples/s read from the cache vs binned and resized from events."
    static let usage = """
    usage: ottt bench cache [--samples N] [--events E] [--json]

    Makes N samples (default 500) of E synthetic DVS128 events each (default 200,000, about a CIFAR10-DVS recording)
    into the OTTT paper preset (10 frames by count, paper resize to 48×48), writes them to a frame cache in a
    temporary folder, checks every cached sample against the direct result, then reports samples per second made
    from events and read from the cache (decoded to Float32), and what an epoch of 10,000 samples costs each way.

    Example:
      ottt bench cache --samples 1000
    """

    let samples: Int
    let events: Int
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        samples = try a.positiveInt("samples", default: 500)
        events = try a.positiveInt("events", default: 200_000)
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        let recipe = FrameRecipe.paper()
        let sensor = SensorSize.dvs128
        let distinct = 8                                      // distinct recordings, reused round-robin
        let recordings = (0..<distinct).map { BinBenchmark.synthetic(events, sensor: sensor, seed: UInt64($0 + 1)) }
        let direct = recordings.map { recipe.frames(of: $0, sensor: sensor) }

        let made = min(samples, 50)
        var start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<made { _ = recipe.frames(of: recordings[i % distinct], sensor: sensor) }
        let makeRate = Double(made) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        let binner = EventBinner(sensor: sensor, slicing: recipe.slicing)
        start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<made { _ = binner.frames(of: recordings[i % distinct]) }
        let binSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(made)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ottt-bench-cache-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bench.frames").path
        let shape = recipe.shape(sensor: sensor)
        try FrameCache.build(path: path, key: "bench", storage: recipe.storage, scale: recipe.scale,
                             frameCount: shape.frames, height: shape.height, width: shape.width,
                             labels: (0..<samples).map { $0 % 10 }) { i in direct[i % distinct] }
        let cache = try FrameCache(path: path, expectedKey: "bench")
        for i in 0..<samples where cache.frames(i) != direct[i % distinct] {
            throw CommandFailure("cache: sample \(i) differs from the frames it was made from")
        }
        var buffer = [Float](repeating: 0, count: cache.sampleValues)
        var best = Double.infinity
        for _ in 0..<3 {
            start = DispatchTime.now().uptimeNanoseconds
            buffer.withUnsafeMutableBufferPointer { out in for i in 0..<samples { cache.decode(i, into: out) } }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let readRate = Double(samples) / best
        let bytes = Double(cache.sampleValues * 4) * readRate / 1e9
        if json {
            print("{\"benchmark\": \"cache\", \"events_per_sample\": \(events), \"samples\": \(samples), "
                  + "\"make_samples_per_s\": \(String(format: "%.1f", makeRate)), "
                  + "\"read_samples_per_s\": \(String(format: "%.0f", readRate)), \"read_float_gb_per_s\": \(String(format: "%.2f", bytes))}")
        } else {
            print(String(format: "cache: paper preset 10×2×48×48 (UInt8 on disk); from %d events: %.1f samples/s "
                         + "(binning %.2f ms, resize %.2f ms; an epoch of 10,000: %.0f s); from the cache: %.0f samples/s, "
                         + "%.2f GB/s of Float32 (an epoch: %.2f s)", events, makeRate, binSeconds * 1e3,
                         (1 / makeRate - binSeconds) * 1e3, 10_000 / makeRate, readRate, bytes, 10_000 / readRate))
        }
    }
}
