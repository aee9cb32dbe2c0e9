import Foundation
import Datasets
import DVSEvents
import EventBinning
import Tensors

/// The datasets `ottt train` and `ottt eval` read: the event datasets of `Datasets.DatasetKind`, and synthetic
/// tensors for smoke tests.
enum TrainingDataKind: String, CaseIterable, Codable {
    case cifar10dvs, gesture, nmnist, folder, synthetic

    /// The name as typed, also accepting `ottt dataset --kind`'s spellings (`dvsgesture`, `folders`).
    init?(flag: String) {
        switch flag.lowercased() {
        case "dvsgesture": self = .gesture
        case "folders": self = .folder
        default: self.init(rawValue: flag.lowercased())
        }
    }

    /// The loader of an event dataset; nil for synthetic data.
    var events: DatasetKind? {
        switch self {
        case .cifar10dvs: .cifar10dvs
        case .gesture: .dvsgesture
        case .nmnist: .nmnist
        case .folder: .folders
        case .synthetic: nil
        }
    }
}

/// How event recordings become frames: the official OTTT pipeline with its quirks, or plain area-downsampled
/// counts (OTTT.md: never compare the clean mode's accuracy with the paper's as if like for like).
enum FrameMode: String, CaseIterable, Codable {
    case paper, clean
}

/// Everything that decides which samples the network sees and how they are made; kept in checkpoints so that
/// `ottt eval` rebuilds the same inputs.
struct DataConfig: Codable, Equatable {
    var dataset: TrainingDataKind
    var frames: FrameMode
    /// Per-channel mean (OFF, ON) and std (OFF, ON) applied to the frames; nil for synthetic data.
    var normalization: [Float]?
    /// Class names in label order.
    var classes: [String]
    /// Synthetic data: training samples (the test set has a quarter as many, at least one per class) and seed.
    var syntheticSamples: Int
    var syntheticSeed: UInt64

    var channelNormalization: ChannelNormalization? {
        guard let n = normalization, n.count == 4 else { return nil }
        return ChannelNormalization(mean: (n[0], n[1]), std: (n[2], n[3]))
    }
}

/// Where a dataset is and where its frame caches go (`--data`, `--cache`).
struct DataLocation {
    var kind: TrainingDataKind
    var directory: String?
    var cacheDirectory: String

    static let usage = """
      --dataset D       cifar10dvs | gesture | nmnist | folder | synthetic (default: guessed from the layout
                        of --data, as 'ottt dataset' does)
      --data DIR        the dataset's folder (folder: a subfolder per class of event files, as 'ottt synth'
                        writes; DIR/train and DIR/test when split, else the last 10 % of each class is test)
      --cache DIR       where frame caches are kept (default $XDG_CACHE_HOME/ottt or ~/.cache/ottt); a cache is
                        built once per dataset part, T, size and frame mode, and rebuilt when any of them changes
    """

    /// Reads `--dataset`, `--data` and `--cache`; `fallback` is the dataset when `--dataset` is absent.
    static func parse(_ a: inout Arguments, fallback: TrainingDataKind?) throws -> DataLocation {
        let name = try a.option("dataset"), directory = try a.option("data")
        let known = TrainingDataKind.allCases.map(\.rawValue).joined(separator: ", ")
        let detected = directory.flatMap { TrainingDataKind(flag: DatasetKind.detect(root: $0).rawValue) }
        guard let kind = name.map({ TrainingDataKind(flag: $0) }) ?? fallback ?? detected else {
            if let name { throw UsageError("--dataset: no dataset '\(name)' (\(known))") }
            throw UsageError("--dataset (\(known)) or --data DIR is required")
        }
        if kind != .synthetic && directory == nil { throw UsageError("--dataset \(kind.rawValue) needs --data DIR") }
        if kind == .synthetic && directory != nil { throw UsageError("--dataset synthetic takes no --data") }
        let env = ProcessInfo.processInfo.environment
        let defaultCache = env["XDG_CACHE_HOME"].map { "\($0)/ottt" } ?? "\(env["HOME"] ?? NSTemporaryDirectory())/.cache/ottt"
        return DataLocation(kind: kind, directory: directory, cacheDirectory: try a.option("cache") ?? defaultCache)
    }

    /// The recordings of one part of an event dataset.
    func events(_ part: DatasetPart) throws -> EventDataset {
        guard let loader = kind.events else { preconditionFailure("synthetic data has no recordings") }
        return try loader.dataset(root: directory!, part: part)
    }

    /// The class names, in label order.
    func classes(syntheticClasses: Int) throws -> [String] {
        kind == .synthetic ? (0..<syntheticClasses).map { "class\($0)" } : try events(.train).classes
    }

    /// The samples of `part` shaped for a network with input `frameShape` [C, H, W] at `steps` time steps.
    /// For event data the frames come from the part's frame cache (built when missing or stale, with a note on
    /// stderr); `config.normalization` nil means measure it on this part (training) and report it.
    func samples(_ part: DatasetPart, config: DataConfig, steps: Int, frameShape: [Int], augment: Bool)
        throws -> (samples: any SampleSet, normalization: [Float]?) {
        if kind == .synthetic {
            let n = part == .train ? config.syntheticSamples : max(config.syntheticSamples / 4, config.classes.count)
            let set = SyntheticSamples(count: n, classes: config.classes.count, steps: steps, frameShape: frameShape,
                                       first: part == .train ? 0 : config.syntheticSamples, seed: config.syntheticSeed)
            return (set, nil)
        }
        guard frameShape[0] == Frames.channels else {
            throw UsageError("event frames have \(Frames.channels) channels (OFF, ON); the network's input is \(frameShape)")
        }
        let dataset = try events(part)
        guard dataset.classes == config.classes else {
            throw CommandFailure("the \(part.rawValue) part of \(directory!) has classes \(dataset.classes), expected \(config.classes)")
        }
        guard !dataset.samples.isEmpty else { throw CommandFailure("\(dataset.name) has no samples") }
        let (h, w) = (frameShape[1], frameShape[2])
        let recipe = FrameRecipe(slicing: .eventCount(frames: steps),
                                 resize: FrameResizer(mode: config.frames == .paper ? .paper : .clean, height: h, width: w),
                                 storage: config.frames == .paper ? .uint8 : .float32, scale: config.frames == .paper ? 255 : 1)
        let cache = try frameCache(dataset, recipe: recipe, part: part)
        var normalization = config.normalization
        if normalization == nil {
            if config.frames == .paper {
                let p = ChannelNormalization.paper
                normalization = [p.mean.0, p.mean.1, p.std.0, p.std.1]
            } else {
                let stride = max(1, cache.count / 256)
                let m = ChannelNormalization.measured(over: Swift.stride(from: 0, to: cache.count, by: stride).map(cache.frames))
                normalization = [m.mean.0, m.mean.1, m.std.0, m.std.1]
            }
        }
        let n = normalization!
        let preprocessing = Preprocessing(resize: nil,
                                          augmentation: augment && kind == .cifar10dvs ? .paper : .none,
                                          normalization: ChannelNormalization(mean: (n[0], n[1]), std: (n[2], n[3])))
        return (CachedSamples(cache: cache, classes: dataset.classes, preprocessing: preprocessing), n)
    }

    /// The frame cache of `dataset` under `recipe` in the cache folder, named after what it holds.
    private func frameCache(_ dataset: EventDataset, recipe: FrameRecipe, part: DatasetPart) throws -> FrameCache {
        do { try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true) } catch {
            throw CommandFailure("cannot create the cache folder \(cacheDirectory): \(error.localizedDescription)")
        }
        var h: UInt64 = 0xcbf29ce484222325
        for b in "\(directory!)\n\(dataset.cacheKey(recipe))".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let path = "\(cacheDirectory)/\(kind.rawValue)-\(part.rawValue)-\(String(h, radix: 16)).frames"
        if (try? FrameCache(path: path, expectedKey: dataset.cacheKey(recipe))) == nil {
            printError("building the frame cache of \(dataset.name) (\(dataset.samples.count) recordings) in \(path)")
        }
        let total = dataset.samples.count, progress = ProgressLine("cache")
        defer { progress.finish() }
        return try dataset.frameCache(at: path, recipe: recipe, threads: ProcessInfo.processInfo.activeProcessorCount) { done in
            progress.update(fraction: Double(done) / Double(total), detail: "\(done)/\(total) recordings")
        }
    }
}
