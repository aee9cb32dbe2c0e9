import SNN

/// Two populations of output channels in each weight-standardised convolution, a plastic one and a stable one, so
/// that a network learning online has features that follow a change quickly and features that keep what they have
/// learned, over a wider range of rates than one speed serves (README, "Learning online", finding 10; fast and slow
/// weights as in Hinton & Plaut 1987, Benna & Fusi 2016):
///
///     channel c plastic when c % plasticEvery == 0:  rate × spread,      Adam's β₁
///     otherwise stable:                              rate / spread,      Adam's β₁ = stableBeta1
///
/// It applies to the convolutions' scale-invariant weights (`Parameter.scaleInvariant`, [C_out, C_in, k, k]), each
/// output channel of which is standardised on its own, so a channel's rate is how fast that filter turns. The
/// classifier, the biases and the gains step as before. SGD scales the channels' rates and keeps its one momentum.
public struct ChannelPlasticity: Sendable, Equatable, Codable {
    /// The plastic channels step at `spread` × the rate, the stable ones at 1 / `spread` ×.
    public var spread: Float
    /// Every `plasticEvery`-th output channel (0, k, 2k, …) is plastic.
    public var plasticEvery: Int
    /// Adam's β₁ for the stable channels: a first moment over ~1 / (1 − β₁) updates, so that their noise averages
    /// out before it moves them.
    public var stableBeta1: Float

    public init(spread: Float, plasticEvery: Int = 2, stableBeta1: Float) {
        self.spread = spread; self.plasticEvery = plasticEvery; self.stableBeta1 = stableBeta1
    }

    /// Whether the values are ones a step can use: a finite spread ≥ 1, a period ≥ 1, 0 ≤ β₁ < 1.
    public var isValid: Bool {
        spread.isFinite && spread >= 1 && spread <= 1e3 && plasticEvery >= 1 && plasticEvery <= 1 << 20
            && stableBeta1.isFinite && stableBeta1 >= 0 && stableBeta1 < 1
    }

    /// One output channel's rate factor and β₁.
    public struct Channel: Equatable, Sendable {
        public var rateScale: Float
        public var beta1: Float
    }

    /// Whether `p` is split into channels: a convolution's scale-invariant weight.
    public static func splits(_ p: Parameter) -> Bool { p.scaleInvariant && p.value.shape.count == 4 }

    /// Output channel `c`'s rate factor and β₁ (`beta1` for the plastic ones).
    public func channel(_ c: Int, beta1: Float) -> Channel {
        c % max(plasticEvery, 1) == 0 ? Channel(rateScale: spread, beta1: beta1)
                                      : Channel(rateScale: 1 / spread, beta1: stableBeta1)
    }

    /// The words a checkpoint's `optimizer` entry records it by, after the optimizer's own.
    var words: String { "plastic_spread=\(spread) plastic_every=\(plasticEvery) stable_beta1=\(stableBeta1)" }

    /// Reads `words` back from a checkpoint's values, nil when none of them is there; the reader checks `isValid`.
    init?(words values: [String: Float]) {
        guard let spread = values["plastic_spread"] else { return nil }
        let every = values["plastic_every"] ?? 2
        let period = every >= 1 && every <= Float(1 << 20) ? Int(every) : 0   // 0: not valid, the reader says so
        self.init(spread: spread, plasticEvery: period, stableBeta1: values["stable_beta1"] ?? 0.9)
    }
}

extension Optimizer {
    /// Calls `body` with each run of `p`'s elements that steps alike: one per output channel of a split convolution
    /// weight (its rate factor and β₁), else the whole tensor at factor 1 and `beta1`.
    func forEachSpan(of p: Parameter, beta1: Float, _ body: (Range<Int>, ChannelPlasticity.Channel) -> Void) {
        let n = p.value.count
        guard let plasticity, ChannelPlasticity.splits(p), let c = p.value.shape.first, c > 0, n % c == 0 else {
            return body(0..<n, ChannelPlasticity.Channel(rateScale: 1, beta1: beta1))
        }
        let per = n / c
        for k in 0..<c { body((k * per)..<((k + 1) * per), plasticity.channel(k, beta1: beta1)) }
    }
}
