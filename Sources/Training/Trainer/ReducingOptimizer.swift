import DataParallel
import Foundation
import SNN
import Tensors

/// An optimizer that first sums the gradients over ranks: the network reports each layer's gradients as they
/// become final (`Network.onGradientsFinal`, installed by `attach`), their reduction starts at once and overlaps
/// the rest of the backward, and `step` waits for it before the inner optimizer updates. Every rank then applies
/// the same update to the same weights.
///
/// MPI failures cannot be thrown through `Optimizer.step`: the first is kept in `failure` (the trainer throws it
/// after the batch) and later reductions are skipped.
final class ReducingOptimizer: Optimizer {
    let inner: any Optimizer
    let reducer: GradientReducer
    /// This rank's samples and all ranks' samples of the current global batch.
    var localBatch = 0, globalBatch = 1
    private(set) var failure: DataParallelError?
    /// Seconds spent starting, progressing and waiting for reductions (copies and scaling included).
    private(set) var seconds = 0.0
    private var begun = false

    init(inner: any Optimizer, reducer: GradientReducer) {
        self.inner = inner
        self.reducer = reducer
    }

    /// Routes `network`'s final gradients into the reducer.
    func attach(to network: Network) {
        network.onGradientsFinal = { [unowned self] parameters in
            guard failure == nil else { return }
            let start = DispatchTime.now().uptimeNanoseconds
            beginIfNeeded()
            do throws(DataParallelError) { try reducer.gradientsReady(parameters) } catch { failure = error }
            seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }

    private func beginIfNeeded() {
        if !begun { reducer.begin(localBatch: localBatch, globalBatch: globalBatch); begun = true }
    }

    var learningRate: Float {
        get { inner.learningRate }
        set { inner.learningRate = newValue }
    }
    var standardizedRate: Float? {
        get { inner.standardizedRate }
        set { inner.standardizedRate = newValue }
    }
    var plasticity: ChannelPlasticity? {
        get { inner.plasticity }
        set { inner.plasticity = newValue }
    }

    func step(_ network: Network) {
        if failure == nil {
            let start = DispatchTime.now().uptimeNanoseconds
            beginIfNeeded()
            do throws(DataParallelError) { try reducer.finish() } catch { failure = error }
            seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        begun = false
        inner.step(network)
    }

    var state: [(name: String, tensor: Tensor)] { inner.state }
    var settings: OptimizerSettings { inner.settings }
    func restore(_ state: [String: Tensor], for network: Network) throws(CheckpointError) {
        try inner.restore(state, for: network)
    }
}
