import Foundation
import DVSEvents
import EventBinning

/// How a dataset's samples become cached frames: slicing, pixel values, resize, and the storage that holds the
/// result exactly (or as closely as its description says).
public struct FrameRecipe: Sendable {
    public var slicing: FrameSlicing
    public var value: FrameValue
    public var resize: FrameResizer?
    public var storage: FrameCache.Storage
    public var scale: Float

    public init(slicing: FrameSlicing, value: FrameValue = .counts, resize: FrameResizer?,
                storage: FrameCache.Storage = .float32, scale: Float = 1) {
        precondition(slicing.fixedFrameCount != nil, "a cached dataset needs a fixed number of frames per sample")
        self.slicing = slicing
        self.value = value
        self.resize = resize
        self.storage = storage
        self.scale = scale
    }

    /// The OTTT CIFAR10-DVS preset: T frames by event count, the `paper` resize to size×size. Its values are
    /// bytes / 255, stored exactly as UInt8.
    public static func paper(frames: Int = 10, size: Int = 48) -> FrameRecipe {
        FrameRecipe(slicing: .eventCount(frames: frames), resize: FrameResizer(mode: .paper, height: size, width: size),
                    storage: .uint8, scale: 255)
    }

    /// The official DVS128 Gesture frames (SpikingJelly `frames_number=T, split_by='number'`): T frames by event
    /// count, the last taking the remainder, raw counts per polarity at the sensor's size. Stored as UInt16 counts
    /// (exact up to 65535 events per pixel and frame; more would be clamped and reported).
    public static func counts(frames: Int) -> FrameRecipe {
        FrameRecipe(slicing: .eventCount(frames: frames), resize: nil, storage: .uint16)
    }

    /// T count frames by event count, area-downsampled to size×size (Float32: area averages are fractions).
    public static func clean(frames: Int = 10, size: Int = 48, value: FrameValue = .counts) -> FrameRecipe {
        FrameRecipe(slicing: .eventCount(frames: frames), value: value,
                    resize: FrameResizer(mode: .clean, height: size, width: size))
    }

    /// Frames of one recording's events on `sensor`.
    public func frames(of events: EventBuffer, sensor: SensorSize) -> Frames {
        let binned = EventBinner(sensor: sensor, slicing: slicing, value: value).frames(of: events).frames
        return Preprocessing(resize: resize).resized(binned)
    }

    /// Output shape (T, H, W) for inputs from `sensor`.
    public func shape(sensor: SensorSize) -> (frames: Int, height: Int, width: Int) {
        (slicing.fixedFrameCount!, resize?.outHeight ?? sensor.height, resize?.outWidth ?? sensor.width)
    }

    /// Everything that changes the cached bytes, as text (part of a cache's key).
    public var description: String {
        let r = resize.map { "\($0.mode.rawValue) \($0.outHeight)x\($0.outWidth)" } ?? "none"
        return "slicing \(slicing), value \(value.rawValue), resize \(r), storage \(storage) ×\(scale)"
    }
}

extension EventDataset {
    /// The frames of one sample as `recipe` makes them.
    public func frames(of sample: DatasetSample, recipe: FrameRecipe) throws -> Frames {
        recipe.frames(of: try events(of: sample), sensor: sensor)
    }

    /// The key a frame cache of this dataset under `recipe` carries: the dataset, its samples and the recipe.
    public func cacheKey(_ recipe: FrameRecipe) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for s in samples {
            for b in "\(s.name)\t\(s.label)\n".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return "\(name); \(samples.count) samples, names \(String(h, radix: 16)); \(recipe.description); "
            + "read \(readOptions.dvs128Convention.rawValue)"
    }

    /// The frame cache at `path` for `recipe`: opened when it exists with the same key, (re)built otherwise.
    /// `progress` hears the number of samples written so far while a cache is built.
    public func frameCache(at path: String, recipe: FrameRecipe, threads: Int = 1,
                           progress: ((Int) -> Void)? = nil) throws -> FrameCache {
        let key = cacheKey(recipe)
        if FileManager.default.fileExists(atPath: path), let cache = try? FrameCache(path: path, expectedKey: key) {
            return cache
        }
        let shape = recipe.shape(sensor: sensor)
        let dataset = self
        try FrameCache.build(path: path, key: key, storage: recipe.storage, scale: recipe.scale,
                             frameCount: shape.frames, height: shape.height, width: shape.width,
                             labels: samples.map(\.label), threads: threads, progress: progress) { i in
            try dataset.frames(of: dataset.samples[i], recipe: recipe)
        }
        return try FrameCache(path: path, expectedKey: key)
    }
}
