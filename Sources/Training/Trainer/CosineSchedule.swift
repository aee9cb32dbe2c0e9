#if canImport(Glibc)
import Glibc
#endif

/// Cosine annealing (PyTorch's `CosineAnnealingLR` with η_min = 0): lr(e) = lr₀ · (1 + cos(π e / E)) / 2, E the
/// horizon (`T_max`). Past E the rate rises again along the same cosine, as PyTorch's does.
public struct CosineSchedule: Sendable {
    public var baseLearningRate: Float
    public var epochs: Int

    public init(baseLearningRate: Float, epochs: Int) {
        precondition(epochs > 0, "cosine schedule over \(epochs) epochs")
        self.baseLearningRate = baseLearningRate; self.epochs = epochs
    }

    /// The learning rate during epoch `epoch` (0-based).
    public func learningRate(epoch: Int) -> Float {
        baseLearningRate * (1 + cosf(Float.pi * Float(epoch % (2 * epochs)) / Float(epochs))) / 2
    }
}
