import Datasets
import DVSEvents
import EventBinning
import Foundation

/// Reading frames from the memory-mapped frame cache against making them from events (the OTTT paper preset).
public enum CacheBenchmark {
    public struct Options: Sendable {
        /// Samples written to the cache and read back.
        public var samples = 500
        /// Synthetic DVS128 events per sample (about a CIFAR10-DVS recording).
        public var events = 200_000
        public init() {}
    }

    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "cache"
        public var eventsPerSample: Int
        public var samples: Int
        public var makeSamplesPerSecond: Double
        public var readSamplesPerSecond: Double
        public var readFloatGBPerSecond: Double
        /// Binning time per sample, in seconds (the rest of making a sample is the resize).
        public var binSeconds: Double

        enum CodingKeys: String, CodingKey {
            case benchmark, samples
            case eventsPerSample = "events_per_sample", makeSamplesPerSecond = "make_samples_per_s"
            case readSamplesPerSecond = "read_samples_per_s", readFloatGBPerSecond = "read_float_gb_per_s"
            case binSeconds = "bin_seconds"
        }

        public var line: String {
            String(format: "cache: paper preset 10×2×48×48 (UInt8 on disk); from %d events: %.1f samples/s "
                   + "(binning %.2f ms, resize %.2f ms; an epoch of 10,000: %.0f s); from the cache: %.0f samples/s, "
                   + "%.2f GB/s of Float32 (an epoch: %.2f s)", eventsPerSample, makeSamplesPerSecond, binSeconds * 1e3,
                   (1 / makeSamplesPerSecond - binSeconds) * 1e3, 10_000 / makeSamplesPerSecond, readSamplesPerSecond,
                   readFloatGBPerSecond, 10_000 / readSamplesPerSecond)
        }
    }

    /// Makes the samples, writes them to a cache in a temporary folder, checks every cached sample against the
    /// direct result, then times making and reading.
    public static func run(_ options: Options) throws -> Result {
        let recipe = FrameRecipe.paper()
        let sensor = SensorSize.dvs128
        let samples = options.samples
        let distinct = 8                                      // distinct recordings, reused round-robin
        let recordings = (0..<distinct).map {
            SyntheticEvents.uniform(options.events, sensor: sensor, seed: UInt64($0 + 1))
        }
        let direct = recordings.map { recipe.frames(of: $0, sensor: sensor) }

        let made = min(samples, 50)
        var start = Clocks.wall()
        for i in 0..<made { _ = recipe.frames(of: recordings[i % distinct], sensor: sensor) }
        let makeRate = Double(made) / (Clocks.wall() - start)
        let binner = EventBinner(sensor: sensor, slicing: recipe.slicing)
        start = Clocks.wall()
        for i in 0..<made { _ = binner.frames(of: recordings[i % distinct]) }
        let binSeconds = (Clocks.wall() - start) / Double(made)

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
            throw BenchmarkFailure("cache: sample \(i) differs from the frames it was made from")
        }
        var buffer = [Float](repeating: 0, count: cache.sampleValues)
        var best = Double.infinity
        for _ in 0..<3 {
            start = Clocks.wall()
            buffer.withUnsafeMutableBufferPointer { out in for i in 0..<samples { cache.decode(i, into: out) } }
            best = min(best, Clocks.wall() - start)
        }
        let readRate = Double(samples) / best
        return Result(eventsPerSample: options.events, samples: samples, makeSamplesPerSecond: makeRate,
                      readSamplesPerSecond: readRate, readFloatGBPerSecond: Double(cache.sampleValues * 4) * readRate / 1e9,
                      binSeconds: binSeconds)
    }
}
