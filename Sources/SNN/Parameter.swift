import Tensors

/// A learned tensor with its gradient, named as in PyTorch's `state_dict` (`conv1.weight`, `fc.bias`, …).
public final class Parameter {
    public let name: String
    /// The current value.
    public let value: Tensor
    /// ∂L/∂value accumulated since the last `Network.zeroGradients()`.
    public let gradient: Tensor
    /// Whether the loss is the same when the tensor is scaled (per output channel or row): a weight-standardised
    /// convolution's W, a normalised classifier's W. A step then turns it rather than moves it, by the step's size relative to the tensor's
    /// norm, so its learning rate is a speed of turning in units of its initial scale.
    public let scaleInvariant: Bool

    public init(name: String, shape: [Int], scaleInvariant: Bool = false) {
        self.name = name
        self.scaleInvariant = scaleInvariant
        value = Tensor(shape: shape)
        gradient = Tensor(shape: shape)
    }
}

/// The spikes and presynaptic traces a layer hands to the next, both [B, …].
///
/// `traces` is nil when the network is not computing online gradients. For the input frame the trace is the frame
/// itself (OTTT: the first layer's weight gradient uses x[t]).
public struct SpikesAndTraces {
    public var spikes: Tensor
    public var traces: Tensor?
}
