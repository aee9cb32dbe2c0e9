import Tensors

/// convolution (scaled weight standardization, or plain) → LIF → ×scale → neuron dropout: one spiking block of
/// OTTT's VGG.
///
/// Legend: B batch, Ci/Co input/output channels, H×W the map (padding 1 keeps it), K = Ci·3·3.
///
///     forward    I = conv(Ŵ, s_in) + b          s_in [B,Ci,H,W] → I [B,Co,H,W]
///                s = LIF(I; u)                  u [B,Co,H,W] carried across steps
///                out = scale · m ⊙ s            m the dropout mask (1/(1−p) or 0), drawn at t = 0
///                â = λ â + out                  the presynaptic trace handed to the next layer
///     backward   δI = g ⊙ scale · m ⊙ σ'(u[t])  (+ λ δu[t+1] through time, BPTT only)
///                dŴ += δI ⋆ a_in                a_in = â_in (OTTT) or s_in (BPTT); the frame for layer 1
///                db += Σ δI,   g_in = convᵀ(Ŵ, δI)
/// dŴ is turned into dW and dgain by `collectGradients()` once per optimizer step (the standardization is linear
/// in dŴ while W is fixed).
///
/// A plain convolution (`cpN`, `gain` nil) has Ŵ = W: Ŵᵀ is W transposed once per parameter change, and the
/// weight gradient goes straight into dW (no dŴ buffer, nothing to collect).
final class SpikingConvolution: Layer {
    let weight: Parameter, bias: Parameter
    /// The standardization's gain; nil for a plain convolution.
    let gain: Parameter?
    let convolution: Convolution
    let neuron: LIF
    let scale: Float
    let dropout: Float
    /// Whether the input is the data frame (no input gradient is needed then).
    let isFirst: Bool
    let outputShape: [Int]
    /// 1-based position among the spiking layers (names the parameters, salts per-sample dropout keys).
    let index: Int

    /// Ŵᵀ [K, Co] (the layout both convolution paths take) and dŴ [Co, K] (empty for a plain convolution).
    let standardizedTransposed: Tensor, standardizedGradient: Tensor
    var standardizedIsStale = true

    private var mode: GradientMode = .none
    private var batch = 0
    private(set) var membrane = Tensor(shape: [0])  // u  [B,Co,H,W]
    /// [B,Co,H,W], one buffer for three things in turn: the convolution writes the input current I into it, the
    /// LIF step charges it in place to u[t] before reset (what the surrogate needs), and backward overwrites it
    /// with δI (u[t] is not needed after that).
    private var charged = Tensor(shape: [0])
    private(set) var spikes = Tensor(shape: [0])  // out [B,Co,H,W]
    private(set) var traces = Tensor(shape: [0])  // â [B,Co,H,W]
    private var mask: Tensor? = nil               // m [B,Co,H,W]
    private var carried = Tensor(shape: [0])      // δu[t+1] [B,Co,H,W] (BPTT)
    private var inputGradient = Tensor(shape: [0]) // g_in [B,Ci,H,W]
    private var input: SpikesAndTraces? = nil     // this step's input (online mode)
    private var inputTape: Tape, chargedTape: Tape
    var generator: SeededGenerator

    init(index: Int, inChannels: Int, outChannels: Int, height: Int, width: Int,
         standardized: Bool = true, neuron: LIF, scale: Float, dropout: Float, isFirst: Bool, seed: UInt64,
         workspace: ConvolutionWorkspace) {
        convolution = Convolution(inChannels: inChannels, outChannels: outChannels, height: height, width: width,
                                  workspace: workspace)
        weight = Parameter(name: "conv\(index).weight", shape: [outChannels, inChannels, 3, 3],
                           scaleInvariant: standardized)
        bias = Parameter(name: "conv\(index).bias", shape: [outChannels])
        gain = standardized ? Parameter(name: "conv\(index).gain", shape: [outChannels, 1, 1, 1]) : nil
        self.index = index
        self.neuron = neuron; self.scale = scale; self.dropout = dropout; self.isFirst = isFirst
        outputShape = [outChannels, height, width]
        standardizedTransposed = Tensor(shape: [convolution.fieldSize, outChannels])
        standardizedGradient = Tensor(shape: standardized ? [outChannels, convolution.fieldSize] : [0])
        inputTape = Tape(shape: [0]); chargedTape = Tape(shape: [0])
        generator = SeededGenerator(seed: seed)
        // Kaiming normal, fan_out, ReLU gain: std = sqrt(2 / (Co·3·3)); bias 0; gain 1.
        weight.value.fillNormal(std: (2 / Float(outChannels * 9)).squareRoot(), using: &generator)
        gain?.value.fill(1)
    }

    /// Elementwise passes over fewer neurons than this stay on one thread.
    static let parallelGrain = 1 << 12

    var parameters: [Parameter] { gain.map { [weight, bias, $0] } ?? [weight, bias] }
    private var outputCount: Int { batch * outputShape.reduce(1, *) }

    func reset(batch b: Int, mode m: GradientMode) {
        if b != batch {
            batch = b
            let shape = [b] + outputShape
            membrane = Tensor(shape: shape); charged = Tensor(shape: shape)
            spikes = Tensor(shape: shape); traces = Tensor(shape: shape)
            carried = Tensor(shape: [0])
            mask = dropout > 0 ? Tensor(shape: shape) : nil
            inputGradient = Tensor(shape: [b, convolution.inChannels, convolution.height, convolution.width])
            inputTape = Tape(shape: inputGradient.shape); chargedTape = Tape(shape: shape)
        }
        // BPTT's carried gradient exists only in BPTT mode (and is not made anew at every reset).
        if m != .throughTime {
            inputTape.clear(); chargedTape.clear()
            if carried.count != 0 { carried = Tensor(shape: [0]) }
        } else if carried.count != charged.count {
            carried = Tensor(shape: charged.shape)
        }
        mode = m
        membrane.zero(); traces.zero()
    }

    /// Draws the dropout mask (training) or sets it to 1 (evaluation): along the batch from the layer's generator,
    /// or, given one key per sample, sample s's part from a generator seeded by keys[s] and the layer's index.
    func drawMask(training: Bool, keys: [UInt64]? = nil) {
        guard let mask else { return }
        if !training { mask.fill(1); return }
        let keep = 1 - dropout, value = 1 / keep
        guard let keys else {
            for i in 0..<mask.count { mask.data[i] = generator.uniform() < keep ? value : 0 }
            return
        }
        let n = outputShape.reduce(1, *)
        for (s, key) in keys.enumerated() {
            var g = SeededGenerator(seed: key ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
            let m = mask.data + s * n
            for i in 0..<n { m[i] = g.uniform() < keep ? value : 0 }
        }
    }

    /// Ŵᵀ from W (and the gain), when the parameters changed since the last time.
    func refreshStandardizedWeights() {
        guard standardizedIsStale else { return }
        let (co, k) = (convolution.outChannels, convolution.fieldSize)
        if let gain {
            WeightStandardization.forward(weight: weight.value.data, gain: gain.value.data, channels: co, fanIn: k,
                                          into: standardizedTransposed.data, transposed: true)
        } else {
            let (w, wt) = (weight.value.data, standardizedTransposed.data)
            for o in 0..<co { for i in 0..<k { wt[i * co + o] = w[o * k + i] } }
        }
        standardizedIsStale = false
    }

    func forward(_ x: SpikesAndTraces, time t: Int) -> SpikesAndTraces {
        refreshStandardizedWeights()
        // A field of few taps (the frame's two channels) is convolved directly; spikes after the first layer are
        // mostly zero: gather them when that is cheaper than im2col + GEMM.
        if convolution.supportsDirect {
            convolution.forwardDirect(x.spikes, transposedWeight: standardizedTransposed, bias: bias.value, into: charged)
        } else if !isFirst && convolution.supportsSparse && Vector.isSparse(x.spikes.data, count: x.spikes.count, below: Convolution.sparseDensityLimit) {
            convolution.forwardSparse(x.spikes, transposedWeight: standardizedTransposed, bias: bias.value, into: charged)
        } else {
            convolution.forward(x.spikes, transposedWeight: standardizedTransposed, bias: bias.value, into: charged)
        }
        // One pass per block of neurons (on both cores when the layer is large): LIF, out = scale · m ⊙ s, and in
        // online mode â ← λ â + out.
        let online = mode == .online, λ = neuron.decay
        let (u, v, s, a, m) = (charged.data, membrane.data, spikes.data, traces.data, mask?.data)   // u[t], u, out, â, m
        struct Neurons: RangeLoop {
            let neuron: LIF, scale: Float, online: Bool, λ: Float
            let u: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, s: UnsafeMutablePointer<Float>
            let a: UnsafeMutablePointer<Float>, m: UnsafePointer<Float>?

            func callAsFunction(_ range: Range<Int>) {
                let i0 = range.lowerBound, n = range.count
                let out = s + i0
                // I → u[t] in place: the step reads element i of `current` before it writes element i of `charged`.
                neuron.step(current: u + i0, membrane: v + i0, spikes: out, charged: u + i0, count: n)
                let c = Vector.V(repeating: scale)
                var i = 0
                while i + 8 <= n {
                    var o = Vector.load(out, i) * c
                    if let m { o = o * Vector.load(m + i0, i) }
                    Vector.store(o, out, i)
                    i += 8
                }
                while i < n { out[i] *= scale * (m?[i0 + i] ?? 1); i += 1 }
                if online { Vector.scaleAndAdd(n, λ, a + i0, out) }
            }
        }
        Parallel.forRanges(outputCount, grain: SpikingConvolution.parallelGrain, alignment: 16,
                           Neurons(neuron: neuron, scale: scale, online: online, λ: λ, u: u, v: v, s: s, a: a, m: m))
        switch mode {
        case .none:
            return SpikesAndTraces(spikes: spikes, traces: nil)
        case .online:
            input = x
            return SpikesAndTraces(spikes: spikes, traces: traces)
        case .throughTime:
            inputTape.record(x.spikes, at: t)
            chargedTape.record(charged, at: t)
            if t == 0 { carried.zero() }
            return SpikesAndTraces(spikes: spikes, traces: nil)
        }
    }

    func backward(_ g: Tensor, time t: Int) -> Tensor? {
        precondition(mode != .none, "backward on a network in inference mode")
        let n = outputCount
        let u = (mode == .online ? charged : chargedTape[t]).data
        // δI overwrites this step's u[t] (in BPTT u[t] comes from the tape, and the buffer is free).
        let delta = charged
        let (gradient, mask) = (g.data, mask?.data)
        struct Surrogate: RangeLoop {
            let neuron: LIF, scale: Float
            let gradient: UnsafePointer<Float>, u: UnsafePointer<Float>, mask: UnsafePointer<Float>?
            let delta: UnsafeMutablePointer<Float>

            func callAsFunction(_ r: Range<Int>) {
                let i0 = r.lowerBound
                neuron.surrogateGradient(gradient + i0, charged: u + i0, scale: scale, mask: mask.map { $0 + i0 },
                                         into: delta + i0, count: r.count)
            }
        }
        Parallel.forRanges(n, grain: SpikingConvolution.parallelGrain, alignment: 16,
                           Surrogate(neuron: neuron, scale: scale, gradient: gradient, u: u, mask: mask, delta: delta.data))
        let d = delta.data
        let a: Tensor
        if mode == .throughTime {
            // δu[t] = g ⊙ σ'(u[t]) + λ δu[t+1]; `carried` holds δu[t+1] (zero at the last step).
            let λ = neuron.decay, c = carried.data
            for i in 0..<n { d[i] += λ * c[i]; c[i] = d[i] }
            a = inputTape[t]
        } else {
            guard let input else { preconditionFailure("backward before forward") }
            a = input.traces ?? input.spikes
        }
        convolution.backward(delta, input: a, transposedWeight: standardizedTransposed,
                             weightGradient: gain == nil ? weight.gradient : standardizedGradient,
                             biasGradient: bias.gradient, inputGradient: isFirst ? nil : inputGradient)
        return isFirst ? nil : inputGradient
    }

    /// dW, dgain += the standardization's backward of dŴ; dŴ ← 0. Nothing for a plain convolution (dW is direct).
    func collectGradients() {
        guard let gain else { return }
        WeightStandardization.backward(weight: weight.value.data, gain: gain.value.data,
                                       channels: convolution.outChannels, fanIn: convolution.fieldSize,
                                       standardizedGradient: standardizedGradient.data,
                                       weightGradient: weight.gradient.data, gainGradient: gain.gradient.data)
        standardizedGradient.zero()
    }
}
