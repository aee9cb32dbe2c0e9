/// What the classifier passes back to the features it reads (the last spiking layer's output, pooled).
///
/// `full` is the loss's gradient, g = Ŵᵀ δ. `tangent` removes from it, per sample, the part along the features
/// themselves, with â = a / ‖a‖ the unit vector of the presynaptic traces a that the classifier's own gradient reads:
///
///     g ← g − â (â · g)
///
/// This is the gradient the loss would have if the classifier read the features normalised to their present length
/// (∂/∂f of L(‖a‖ · f / ‖f‖) at f = a): the loss still asks each feature to rise or fall relative to the others, but
/// no longer asks all of them to shrink (or grow) together. Learning online, that request is the cheapest way to lower
/// a loss whose predictions are confidently wrong: after the classes of a stream change, the full gradient silenced the
/// second convolution (its firing fell from 4 % to 1 % of neurons, to 0.3 % with the rates ×3) instead of remapping it,
/// and the held-out accuracy waited on its recovery (README, "Learning online", finding 8). The forward pass is the
/// same either way, so a network learned with `tangent` runs and exports as any other.
///
/// Legend: B batch, F features (the classifier's inputs).
public enum FeatureGradient: String, Sendable, Codable, CaseIterable {
    /// The loss's gradient, as PyTorch computes it.
    case full
    /// Without its component along the features (above).
    case tangent

    /// g[B, F] ← g − â (â · g) for each sample, â = a / ‖a‖; a sample whose traces are all zero keeps its g (there
    /// is no direction of the features to remove).
    public static func removeRadial(_ g: UnsafeMutablePointer<Float>, along a: UnsafePointer<Float>, batch: Int,
                                    features n: Int) {
        for b in 0..<batch {
            let gb = g + b * n, ab = a + b * n
            var aa: Float = 0, ag: Float = 0
            for i in 0..<n { aa += ab[i] * ab[i]; ag += ab[i] * gb[i] }
            guard aa > 0, aa.isFinite else { continue }
            let k = ag / aa                                     // (â · g) / ‖a‖
            for i in 0..<n { gb[i] -= k * ab[i] }
        }
    }
}
