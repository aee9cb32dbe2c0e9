import SNN
import Tensors

/// Per-layer firing rates over a set of samples, as the official `get_rate_*.py` scripts compute them: for each
/// spiking layer, the fraction of its neurons that fire, averaged over samples and time steps (spikes before the
/// ×2.74 scale, dropout off); the total is the average over every neuron of every layer (layers weighted by their
/// neuron counts).
///
///     var rates = FiringRates()
///     let m = ConfusionMatrix.evaluate(net, on: test, batch: 64, observe: { _, _ in rates.record(net) })
///     print(rates.perLayer, rates.total)
public struct FiringRates: Sendable, Equatable {
    /// Σ over recorded steps of (fraction firing × batch), per layer.
    private var sums: [Double] = []
    /// Neurons per sample, per layer.
    public private(set) var neurons: [Int] = []
    /// Sample-steps recorded (batch × steps).
    public private(set) var sampleSteps = 0

    public init() {}

    /// Adds the network's last step (every sample of its batch).
    public mutating func record(_ network: Network) {
        let b = network.batchSize
        let rates = network.firingRates
        if sums.isEmpty {
            sums = Array(repeating: 0, count: rates.count)
            neurons = network.neuronOutputs.map { $0.spikes.count / max(b, 1) }
        }
        precondition(rates.count == sums.count, "\(rates.count) spiking layers after \(sums.count)")
        for (i, r) in rates.enumerated() { sums[i] += r * Double(b) }
        sampleSteps += b
    }

    /// The firing rate of each spiking layer (lif1, lif2, …).
    public var perLayer: [Double] { sums.map { $0 / Double(max(sampleSteps, 1)) } }

    /// The rate over all neurons (`total_spike_rate`).
    public var total: Double {
        let n = neurons.reduce(0, +)
        guard n > 0 else { return 0 }
        return zip(perLayer, neurons).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(n)
    }
}
