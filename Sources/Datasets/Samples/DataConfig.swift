import InputLimits
import Foundation
import EventBinning
import Training

/// How event recordings become frames: the official OTTT pipeline with its quirks, or plain area-downsampled
/// counts (docs/OTTT.md: never compare the clean mode's accuracy with the paper's as if like for like).
public enum FrameMode: String, CaseIterable, Codable, Sendable {
    case paper, clean
}

/// Everything that decides which samples the network sees and how they are made; kept in checkpoints (metadata
/// `data`) so that an evaluation rebuilds the same inputs.
public struct DataConfig: Codable, Equatable, Sendable {
    public var dataset: SampleSource
    public var frames: FrameMode
    /// Per-channel mean (OFF, ON) and std (OFF, ON) applied to the frames; nil for synthetic data, or to be
    /// measured on the training part.
    public var normalization: [Float]?
    /// Class names in label order.
    public var classes: [String]
    /// Synthetic data: training samples (the test set has a quarter as many, at least one per class) and seed.
    public var syntheticSamples: Int
    public var syntheticSeed: UInt64

    public init(dataset: SampleSource, frames: FrameMode, normalization: [Float]? = nil, classes: [String],
                syntheticSamples: Int = 512, syntheticSeed: UInt64 = 1) {
        self.dataset = dataset; self.frames = frames; self.normalization = normalization; self.classes = classes
        self.syntheticSamples = syntheticSamples; self.syntheticSeed = syntheticSeed
    }

    /// The normalisation as channel statistics, when there are four numbers.
    public var channelNormalization: ChannelNormalization? {
        guard let n = normalization, n.count == 4 else { return nil }
        return ChannelNormalization(mean: (n[0], n[1]), std: (n[2], n[3]))
    }

    /// JSON with sorted keys, as checkpoints keep it.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The checkpoint metadata entry that holds it.
    public static let metadataKey = "data"

    /// The configuration in `checkpoint`'s metadata: its `data` entry, or the `data` field of its `training`
    /// entry (checkpoints written before the two were split).
    /// Most synthetic samples a run may ask for (each is made on demand; the order is a permutation of them).
    public static let maxSyntheticSamples = 1 << 24

    public static func stored(in checkpoint: Checkpoint) throws(TrainingError) -> DataConfig {
        struct Nested: Decodable { var data: DataConfig }
        let key = checkpoint.metadata[metadataKey] != nil ? metadataKey : "training"
        guard let text = checkpoint.metadata[key] else { throw .noConfiguration(file: checkpoint.path) }
        let config: DataConfig
        do {
            let bytes = Data(text.utf8)
            config = key == metadataKey ? try JSONDecoder().decode(DataConfig.self, from: bytes)
                : try JSONDecoder().decode(Nested.self, from: bytes).data
        } catch {
            throw .unreadableMetadata(file: checkpoint.path, key: key, problem: TrainingError.explain(error))
        }
        // Counts from a file are bounded before they size anything (synthetic sets, class arrays).
        let limits = Limits.current
        guard (1...limits.labelClasses).contains(config.classes.count),
              (1...DataConfig.maxSyntheticSamples).contains(config.syntheticSamples) else {
            throw .unreadableMetadata(file: checkpoint.path, key: key, problem:
                "\(config.classes.count) classes (1 to \(limits.labelClasses), --max-classes) and \(config.syntheticSamples) synthetic samples (1 to \(DataConfig.maxSyntheticSamples))")
        }
        if let n = config.normalization, n.count != 4 || !n.allSatisfy(\.isFinite) {
            throw .unreadableMetadata(file: checkpoint.path, key: key, problem: "normalization \(n) is not 4 finite numbers")
        }
        return config
    }
}
