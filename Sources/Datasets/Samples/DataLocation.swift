import Foundation
import EventBinning
import Training

/// Where a dataset is and where its frame caches go, and the samples made from it for a network.
public struct DataLocation: Sendable {
    public var source: SampleSource
    /// The dataset's folder; nil for synthetic samples.
    public var directory: String?
    public var cacheDirectory: String

    public init(source: SampleSource, directory: String?, cacheDirectory: String) {
        self.source = source; self.directory = directory; self.cacheDirectory = cacheDirectory
    }

    /// What building a frame cache reports: that it starts (the dataset, its recordings, the file), then
    /// recordings done of all, then the end.
    public enum CacheProgress: Sendable {
        case building(dataset: String, recordings: Int, path: String)
        case recordings(done: Int, total: Int)
        case finished
    }

    /// The recordings of one part of an event dataset.
    public func events(_ part: DatasetPart) throws -> EventDataset {
        guard let kind = source.datasetKind, let directory else {
            throw DatasetError(.missing, path: directory ?? "", expected: "an event dataset", found: source.name)
        }
        return try kind.dataset(root: directory, part: part)
    }

    /// The class names, in label order (synthetic: `class0`, `class1`, …).
    public func classes(syntheticClasses: Int) throws -> [String] {
        source == .synthetic ? (0..<syntheticClasses).map { "class\($0)" } : try events(.train).classes
    }

    /// The samples of `part` shaped for a network with input `frameShape` [C, H, W] at `steps` time steps.
    /// For event data the frames come from the part's frame cache (built when missing or stale; `progress` hears
    /// about it); `config.normalization` nil means measure it on this part (training) and return it.
    public func samples(_ part: DatasetPart, config: DataConfig, steps: Int, frameShape: [Int], augment: Bool,
                        progress: (CacheProgress) -> Void = { _ in })
        throws -> (samples: any SampleSet, normalization: [Float]?) {
        if source == .synthetic {
            let n = part == .train ? config.syntheticSamples : max(config.syntheticSamples / 4, config.classes.count)
            let set = SyntheticSamples(count: n, classes: config.classes.count, steps: steps, frameShape: frameShape,
                                       first: part == .train ? 0 : config.syntheticSamples, seed: config.syntheticSeed)
            return (set, nil)
        }
        let dataset = try events(part)
        let where_ = "the \(part.rawValue) part of \(directory ?? "")"
        guard frameShape.count == 3, frameShape[0] == Frames.channels else {
            throw DatasetError(.badLayout, path: where_, expected: "a network input of \(Frames.channels) channels (OFF, ON)",
                               found: "\(frameShape)")
        }
        guard dataset.classes == config.classes else {
            throw DatasetError(.badLayout, path: where_, expected: "classes \(config.classes)", found: "\(dataset.classes)")
        }
        guard !dataset.samples.isEmpty else {
            throw DatasetError(.missing, path: where_, expected: "samples", found: "none in \(dataset.name)")
        }
        if let kind = source.datasetKind, let problem = config.frames.problem(for: kind, frameShape: frameShape, sensor: dataset.sensor) {
            throw DatasetError(.badLayout, path: where_, expected: "frames the dataset's preset can make", found: problem)
        }
        let paper = config.frames == .paper
        let recipe = config.frames == .counts ? .counts(frames: steps)
            : FrameRecipe(slicing: .eventCount(frames: steps),
                          resize: FrameResizer(mode: paper ? .paper : .clean, height: frameShape[1], width: frameShape[2]),
                          storage: paper ? .uint8 : .float32, scale: paper ? 255 : 1)
        let cache = try frameCache(dataset, recipe: recipe, part: part, progress: progress)
        let n: [Float]
        if let given = config.normalization, given.count == 4 {
            n = given
        } else if config.frames == .counts {
            n = [0, 0, 1, 1]                                        // none: the official Gesture loader's raw counts
        } else if paper {
            let p = ChannelNormalization.paper
            n = [p.mean.0, p.mean.1, p.std.0, p.std.1]
        } else {
            let stride = max(1, cache.count / 256)
            let m = ChannelNormalization.measured(over: Swift.stride(from: 0, to: cache.count, by: stride).map(cache.frames))
            n = [m.mean.0, m.mean.1, m.std.0, m.std.1]
        }
        let preprocessing = Preprocessing(resize: nil,
                                          augmentation: augment && source == .events(.cifar10dvs) ? .paper : .none,
                                          normalization: ChannelNormalization(mean: (n[0], n[1]), std: (n[2], n[3])))
        try cache.checkLabels(below: dataset.classes.count)
        return (CachedSamples(cache: cache, classes: dataset.classes, preprocessing: preprocessing), n)
    }

    /// The frame cache of `dataset` under `recipe` in the cache folder, named after what it holds.
    private func frameCache(_ dataset: EventDataset, recipe: FrameRecipe, part: DatasetPart,
                            progress: (CacheProgress) -> Void) throws -> FrameCache {
        do { try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true) } catch {
            throw DatasetError(.ioFailure, path: cacheDirectory, expected: "a folder for frame caches",
                               found: error.localizedDescription)
        }
        var h: UInt64 = 0xcbf29ce484222325
        for b in "\(directory ?? "")\n\(dataset.cacheKey(recipe))".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let path = "\(cacheDirectory)/\(source.name)-\(part.rawValue)-\(String(h, radix: 16)).frames"
        if (try? FrameCache(path: path, expectedKey: dataset.cacheKey(recipe))) == nil {
            progress(.building(dataset: dataset.name, recordings: dataset.samples.count, path: path))
        }
        let total = dataset.samples.count
        defer { progress(.finished) }
        return try withoutActuallyEscaping(progress) { progress in
            try dataset.frameCache(at: path, recipe: recipe, threads: ProcessInfo.processInfo.activeProcessorCount) { done in
                progress(.recordings(done: done, total: total))
            }
        }
    }
}
