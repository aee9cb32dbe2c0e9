import Tensors

/// The classifier: y = x · Wᵀ + b on the flattened input.
///
/// Legend: B batch, F_in input features (C·H·W flattened), F outputs.
///
///     forward   y[B,F] = x[B,F_in] · W[F,F_in]ᵀ + b[F]
///     backward  dW[F,F_in] += δ[B,F]ᵀ · a[B,F_in]     a = the averaged trace (OTTT) or the spikes (BPTT)
///               db[F] += Σ_b δ[b,:],   g_in[B,F_in] = δ · W
final class Linear: Layer {
    let weight: Parameter, bias: Parameter
    let inputs: Int, outputs: Int
    let outputShape: [Int]
    private var mode: GradientMode = .none
    private var batch = 0
    private(set) var output = Tensor(shape: [0])
    private var inputGradient = Tensor(shape: [0])
    private var input: SpikesAndTraces? = nil
    private var inputTape = Tape(shape: [0])
    private let inputShape: [Int]

    init(inputShape: [Int], outputs: Int, generator: inout SeededGenerator) {
        self.inputShape = inputShape
        inputs = inputShape.reduce(1, *); self.outputs = outputs
        outputShape = [outputs]
        weight = Parameter(name: "fc.weight", shape: [outputs, inputs])
        bias = Parameter(name: "fc.bias", shape: [outputs])
        weight.value.fillNormal(std: 0.01, using: &generator)
    }

    var parameters: [Parameter] { [weight, bias] }

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
                  weight.value.data, ldb: inputs, beta: 1, output.data, ldc: outputs)
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
                  a.data, ldb: inputs, beta: 1, weight.gradient.data, ldc: inputs)
        for s in 0..<batch {
            for f in 0..<outputs { bias.gradient.data[f] += δ.data[s * outputs + f] }
        }
        BLAS.gemm(.none, .none, m: batch, n: inputs, k: outputs, δ.data, lda: outputs,
                  weight.value.data, ldb: inputs, beta: 0, inputGradient.data, ldc: inputs)
        return inputGradient
    }
}
