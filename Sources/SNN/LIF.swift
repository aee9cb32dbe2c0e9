import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// The leaky integrate-and-fire neuron of OTTT, one time step, as a pure function of (input, state).
///
///     u[t] = λ · u[t−1] + I[t]         λ = 1 − 1/τ (charge; the input is not divided by τ)
///     s[t] = H(u[t] − θ)                H(x) = 1 for x ≥ 0
///     u[t] ← u[t] − θ · s[t]            soft reset (or u[t] ← 0 where s[t] = 1, `reset: .zero`, for imported
///                                       networks); the reset carries no gradient
///     ∂s/∂u ≈ α · σ(α(u − θ)) · (1 − σ(α(u − θ)))      the sigmoid surrogate
///
/// The state (the membrane potentials) lives in the layer that owns the neurons; this type only holds the
/// parameters and the step (norse's `lif_feed_forward_step` split).
///
/// τ is the official scripts' `-tau` (default 2). The integrate-and-fire neuron (`OnlineIFNode`: u[t] = u[t−1] +
/// I[t], presynaptic trace â[t] = â[t−1] + s[t], no leak) is this neuron with τ = ∞, i.e. λ = 1: the same kernel,
/// no extra work per neuron (`integrateAndFire`).
public struct LIF: Sendable, Equatable {
    /// The membrane time constant τ (`.infinity` for the IF neuron).
    public var tau: Float
    /// The firing threshold θ.
    public var threshold: Float
    /// The sharpness α of the sigmoid surrogate.
    public var alpha: Float
    /// What a spike does to the potential.
    public var reset: Reset

    /// After a spike: subtract the threshold (OTTT's soft reset) or set the potential to zero (NIR's v_reset).
    public enum Reset: String, Sendable, Equatable, CaseIterable {
        case subtract, zero
    }

    public init(tau: Float = 2, threshold: Float = 1, alpha: Float = 4, reset: Reset = .subtract) {
        self.tau = tau; self.threshold = threshold; self.alpha = alpha; self.reset = reset
    }

    /// The integrate-and-fire neuron of the official code (`OnlineIFNode`): no leak, traces that sum the spikes.
    public static let integrateAndFire = LIF(tau: .infinity)

    /// Whether this is the IF neuron (τ = ∞, λ = 1).
    public var isIntegrateAndFire: Bool { tau == .infinity }

    /// λ = 1 − 1/τ (1 for τ = ∞).
    public var decay: Float { 1 - 1 / tau }

    /// One step for `count` neurons: charges `membrane` with `current`, writes 0/1 `spikes`, stores the charged
    /// (pre-reset) potential in `charged` when given (the backward pass needs it), then soft-resets `membrane`.
    @inline(__always)
    public func step(current: UnsafePointer<Float>, membrane u: UnsafeMutablePointer<Float>,
                     spikes s: UnsafeMutablePointer<Float>, charged: UnsafeMutablePointer<Float>?, count: Int) {
        let λ = decay, θ = threshold, toZero = reset == .zero
        let vλ = Vector.V(repeating: λ), vθ = Vector.V(repeating: θ), zero = Vector.V(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let v = vλ * Vector.load(u, i) + Vector.load(current, i)
            let spike = zero.replacing(with: 1, where: v .>= vθ)
            if let charged { Vector.store(v, charged, i) }
            Vector.store(spike, s, i)
            Vector.store(v - (toZero ? v : vθ) * spike, u, i)
            i += 8
        }
        while i < count {
            let v = λ * u[i] + current[i]
            let spike: Float = v >= θ ? 1 : 0
            charged?[i] = v
            s[i] = spike
            u[i] = v - (toZero ? v : θ) * spike
            i += 1
        }
    }

    /// δ[i] = g[i] · scale · m[i] · ∂s/∂u(u[i]) for `count` neurons (m = 1 without a mask): the gradient at the
    /// charged potentials from the gradient at the scaled, masked spikes.
    public func surrogateGradient(_ g: UnsafePointer<Float>, charged u: UnsafePointer<Float>, scale: Float,
                                  mask: UnsafePointer<Float>?, into d: UnsafeMutablePointer<Float>, count n: Int) {
        let a = Vector.V(repeating: alpha), θ = Vector.V(repeating: threshold), one = Vector.V(repeating: 1)
        let c = Vector.V(repeating: scale * alpha)
        var i = 0
        while i + 8 <= n {
            let sg = one / (one + Vector.exp(-a * (Vector.load(u, i) - θ)))
            var v = Vector.load(g, i) * c * sg * (one - sg)
            if let mask { v = v * Vector.load(mask, i) }
            Vector.store(v, d, i)
            i += 8
        }
        while i < n {
            d[i] = g[i] * scale * (mask?[i] ?? 1) * surrogate(u[i])
            i += 1
        }
    }

    /// The surrogate derivative ∂s/∂u at a charged potential `u`.
    @inline(__always)
    public func surrogate(_ u: Float) -> Float {
        let sg = 1 / (1 + expf(-alpha * (u - threshold)))
        return alpha * sg * (1 - sg)
    }
}
