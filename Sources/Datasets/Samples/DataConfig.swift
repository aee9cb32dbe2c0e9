import InputLimits
import Foundation
import DVSEvents
import EventBinning
import Training

/// How event recordings become frames. Each paper preset carries its own (README, "The presets point by point"; docs/OTTT.md):
/// - `paper`: the official CIFAR10-DVS pipeline with its quirks (uint8 wrap, premultiplied resize, pad-4 random
///   crops, the paper's mean/std); it belongs to CIFAR10-DVS alone (its constants are that dataset's);
/// - `counts`: the official DVS128 Gesture loader's frames: raw event counts per polarity at the sensor's size, T
///   frames by event count (SpikingJelly `frames_number=T, split_by='number'`), no resize, augmentation or
///   normalisation;
/// - `clean`: area-downsampled counts normalised by their measured mean/std (ours; never compare its accuracy with
///   the paper's as if like for like).
public enum FrameMode: String, CaseIterable, Codable, Sendable {
    case paper, clean, counts

    /// The mode a dataset's paper preset uses: `paper` for CIFAR10-DVS, `counts` for DVS128 Gesture, `clean`
    /// otherwise.
    public static func native(for kind: DatasetKind?) -> FrameMode {
        switch kind {
        case .cifar10dvs?: .paper
        case .dvsgesture?: .counts
        default: .clean
        }
    }

    /// Why this mode cannot make frames of `kind` for a network input of `frameShape` [C, H, W] from `sensor`, or
    /// nil when it can.
    public func problem(for kind: DatasetKind, frameShape: [Int], sensor: SensorSize) -> String? {
        switch self {
        case .paper where kind != .cifar10dvs:
            return "--frames paper is CIFAR10-DVS's pipeline (its resize quirks and mean/std); \(kind.rawValue) uses "
                + "--frames \(FrameMode.native(for: kind).rawValue)"
        case .counts where frameShape.count == 3 && (frameShape[1] != sensor.height || frameShape[2] != sensor.width):
            return "--frames counts does not resize: the network's input is \(frameShape[1])×\(frameShape[2]), the "
                + "sensor \(sensor.height)×\(sensor.width)"
        default:
            return nil
        }
    }
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
