import Tensors

/// The classifier: y = x · Ŵᵀ + b on the flattened input, with Ŵ = W (`fcN`, PyTorch's `Linear`) or each row of
/// W weight-normalised to the length of its gain (`fcnN`, `WeightNormalization`).
///
/// Legend: B batch, F_in input features (C·H·W flattened), F outputs.
///
///     forward   y[B,F] = x[B,F_in] · Ŵ[F,F_in]ᵀ + b[F]
///     backward  dŴ[F,F_in] += δ[B,F]ᵀ · a[B,F_in]     a = the averaged trace (OTTT) or the spikes (BPTT)
///               db[F] += Σ_b δ[b,:],   g_in[B,F_in] = δ · Ŵ   (less its part along a: `FeatureGradient.tangent`)
/// For `fcnN`, dŴ is turned into dW and dgain by `collectGradients()` once per optimizer step, as the standardised
/// convolutions do; for `fcN`, dŴ is dW.
final class Linear: Layer {
    let weight: Parameter, bias: Parameter
    /// The normalization's gain (one per output, initially 1); nil for a plain classifier.
    let gain: Parameter?
    /// Ŵ and dŴ [F, F_in] of a normalised classifier (empty for a plain one).
    private let normalized: Tensor
    let normalizedGradient: Tensor
    var normalizedIsStale = true
    let inputs: Int, outputs: Int
    let outputShape: [Int]
    /// What `backward` passes to the features (`FeatureGradient`); the full gradient unless a learner asks.
    var featureGradient = FeatureGradient.full
    private var mode: GradientMode = .none
    private var batch = 0
    private(set) var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var input: SpikesAndTraces? = nil
    private var inputTape = Tape(shape: [0])
    private let inputShape: [Int]

    init(inputShape: [Int], outputs: Int, normalized isNormalized: Bool = false, generator: inout SeededGenerator) {
        self.inputShape = inputShape
        inputs = inputShape.reduce(1, *); self.outputs = outputs
        outputShape = [outputs]
        weight = Parameter(name: "fc.weight", shape: [outputs, inputs], scaleInvariant: isNormalized)
        bias = Parameter(name: "fc.bias", shape: [outputs])
        gain = isNormalized ? Parameter(name: "fc.gain", shape: [outputs]) : nil
        normalized = Tensor(shape: isNormalized ? [outputs, inputs] : [0])
        normalizedGradient = Tensor(shape: isNormalized ? [outputs, inputs] : [0])
        weight.value.fillNormal(std: 0.01, using: &generator)
        gain?.value.fill(1)
    }

    var parameters: [Parameter] { gain.map { [weight, bias, $0] } ?? [weight, bias] }

    /// Ŵ: W itself, or W normalised (recomputed when the parameters changed since the last time).
    private var effectiveWeight: Tensor {
        guard let gain else { return weight.value }
        if normalizedIsStale {
            WeightNormalization.forward(weight: weight.value.data, gain: gain.value.data, rows: outputs, fanIn: inputs,
                                        into: normalized.data)
            normalizedIsStale = false
        }
        return normalized
    }

    /// dW, dgain += the normalization's backward of dŴ; dŴ ← 0. Nothing for a plain classifier (dW is direct).
    func collectGradients() {
        guard let gain else { return }
        WeightNormalization.backward(weight: weight.value.data, gain: gain.value.data, rows: outputs, fanIn: inputs,
                                     normalizedGradient: normalizedGradient.data,
                                     weightGradient: weight.gradient.data, gainGradient: gain.gradient.data)
        normalizedGradient.zero()
    }

    /// Zeroes dŴ (the parameters' own gradients are zeroed by the network).
    func zeroNormalizedGradient() {
        if gain != nil { normalizedGradient.zero() }
    }

    func reset(batch b: Int, mode m: GradientMode) {
        if b != batch {
            batch = b
            output = Tensor(shape: [b, outputs])
            inputGradient = Tensor(shape: [b] + inputShape)
            inputTape = Tape(shape: [b] + inputShape)
        }
        if m != .throughTime { inputTape.clear() }
        mode = m
    }

    func forward(_ x: SpikesAndTraces, time t: Int) -> SpikesAndTraces {
        for s in 0..<batch { (output.data + s * outputs).update(from: bias.value.data, count: outputs) }
        BLAS.gemm(.none, .transposed, m: batch, n: outputs, k: inputs, x.spikes.data, lda: inputs,
                  effectiveWeight.data, ldb: inputs, beta: 1, output.data, ldc: outputs)
        switch mode {
        case .none: break
        case .online: input = x
        case .throughTime: inputTape.record(x.spikes, at: t)
        }
        return SpikesAndTraces(spikes: output, traces: nil)
    }

    func backward(_ δ: Tensor, time t: Int) -> Tensor? {
        let a: Tensor
        if mode == .throughTime {
            a = inputTape[t]
        } else {
            guard let input else { preconditionFailure("backward before forward") }
            a = input.traces ?? input.spikes
        }
        BLAS.gemm(.transposed, .none, m: outputs, n: inputs, k: batch, δ.data, lda: outputs,
                  a.data, ldb: inputs, beta: 1, (gain == nil ? weight.gradient : normalizedGradient).data, ldc: inputs)
        for s in 0..<batch {
            for f in 0..<outputs { bias.gradient.data[f] += δ.data[s * outputs + f] }
        }
        BLAS.gemm(.none, .none, m: batch, n: inputs, k: outputs, δ.data, lda: outputs,
                  effectiveWeight.data, ldb: inputs, beta: 0, inputGradient.data, ldc: inputs)
        if featureGradient == .tangent {
            FeatureGradient.removeRadial(inputGradient.data, along: a.data, batch: batch, features: inputs)
        }
        return inputGradient
    }
}
