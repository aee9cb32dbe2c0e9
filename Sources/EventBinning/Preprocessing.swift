/// Frames as the network sees them: resize to the input size, augment (training only), normalise.
///
/// `Preprocessing.paper(size: 48)` is the OTTT CIFAR10-DVS preset: count frames, the `paper` resize with both
/// quirks of the official code, pad 4 + random crop in training, mean (0.2728, 0.1295), std (0.2225, 0.1290).
public struct Preprocessing: Sendable {
    public var resize: FrameResizer?
    public var augmentation: Augmentation
    public var normalization: ChannelNormalization

    public init(resize: FrameResizer?, augmentation: Augmentation = .none, normalization: ChannelNormalization = .identity) {
        self.resize = resize
        self.augmentation = augmentation
        self.normalization = normalization
    }

    /// The paper's pipeline for square `size` inputs.
    public static func paper(size: Int = 48) -> Preprocessing {
        Preprocessing(resize: FrameResizer(mode: .paper, height: size, width: size),
                      augmentation: .paper, normalization: .paper)
    }

    /// Frames before augmentation and normalisation (what `ottt frames` draws and the frame cache stores).
    public func resized(_ frames: Frames) -> Frames {
        guard let resize, resize.outHeight != frames.height || resize.outWidth != frames.width || resize.mode == .paper
        else { return frames }
        return resize.resize(frames)
    }

    /// Evaluation: resize and normalise.
    public func evaluate(_ frames: Frames) -> Frames {
        var f = resized(frames)
        normalization.apply(&f)
        return f
    }

    /// Training: resize, augment with one draw for the whole sample, normalise.
    public func train(_ frames: Frames, using rng: inout some RandomNumberGenerator) -> Frames {
        var f = augmentation.apply(resized(frames), using: &rng)
        normalization.apply(&f)
        return f
    }
}
