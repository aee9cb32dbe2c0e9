import Tensors

/// 2×2 average pooling of spikes and traces alike (OTTT pools the trace exactly as the spikes).
///
///     forward   s_out = pool(s_in), â_out = pool(â_in)       [B,C,H,W] → [B,C,H/2,W/2]
///     backward  g_in = poolᵀ(g_out)
final class AveragePooling: Layer {
    let channels: Int, height: Int, width: Int
    let outputShape: [Int]
    private var batch = 0
    private var spikes = Tensor(shape: [0]), traces = Tensor(shape: [0]), inputGradient = Tensor(shape: [0])

    init(channels: Int, height: Int, width: Int) {
        self.channels = channels; self.height = height; self.width = width
        outputShape = [channels, height / 2, width / 2]
    }

    func reset(batch b: Int, mode: GradientMode) {
        guard b != batch else { return }
        batch = b
        spikes = Tensor(shape: [b] + outputShape); traces = Tensor(shape: [b] + outputShape)
        inputGradient = Tensor(shape: [b, channels, height, width])
    }

    func forward(_ x: SpikesAndTraces, time t: Int) -> SpikesAndTraces {
        AveragePool2.forward(x.spikes.data, planes: batch * channels, height: height, width: width, into: spikes.data)
        guard let a = x.traces else { return SpikesAndTraces(spikes: spikes, traces: nil) }
        AveragePool2.forward(a.data, planes: batch * channels, height: height, width: width, into: traces.data)
        return SpikesAndTraces(spikes: spikes, traces: traces)
    }

    func backward(_ g: Tensor, time t: Int) -> Tensor? {
        AveragePool2.backward(g.data, planes: batch * channels, height: height, width: width, into: inputGradient.data)
        return inputGradient
    }
}

/// Global average pooling of spikes and traces: [B,C,H,W] → [B,C].
final class GlobalAveragePooling: Layer {
    let channels: Int, size: Int
    let outputShape: [Int]
    private var batch = 0
    private var spikes = Tensor(shape: [0]), traces = Tensor(shape: [0]), inputGradient = Tensor(shape: [0])
    private let inputShape: [Int]

    init(channels: Int, height: Int, width: Int) {
        self.channels = channels; size = height * width
        outputShape = [channels]
        inputShape = [channels, height, width]
    }

    func reset(batch b: Int, mode: GradientMode) {
        guard b != batch else { return }
        batch = b
        spikes = Tensor(shape: [b, channels]); traces = Tensor(shape: [b, channels])
        inputGradient = Tensor(shape: [b] + inputShape)
    }

    func forward(_ x: SpikesAndTraces, time t: Int) -> SpikesAndTraces {
        GlobalAveragePool.forward(x.spikes.data, planes: batch * channels, size: size, into: spikes.data)
        guard let a = x.traces else { return SpikesAndTraces(spikes: spikes, traces: nil) }
        GlobalAveragePool.forward(a.data, planes: batch * channels, size: size, into: traces.data)
        return SpikesAndTraces(spikes: spikes, traces: traces)
    }

    func backward(_ g: Tensor, time t: Int) -> Tensor? {
        GlobalAveragePool.backward(g.data, planes: batch * channels, size: size, into: inputGradient.data)
        return inputGradient
    }
}
