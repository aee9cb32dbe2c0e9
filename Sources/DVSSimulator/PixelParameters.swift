import DVSEvents

/// The settings of the DVS pixel model. Defaults follow v2e's (Hu, Liu & Delbruck, 2021) where it has one:
/// thresholds 0.2 ± 0.03 in log intensity, leak 0.1 Hz with a 0.1-decade spread, and shot noise that is strongest in
/// the dark and a quarter as strong at full intensity.
public struct PixelParameters: Sendable, Equatable {
    /// Nominal ON threshold: the rise in log intensity that makes an ON event.
    public var onThreshold: Float = 0.2
    /// Nominal OFF threshold: the fall in log intensity that makes an OFF event.
    public var offThreshold: Float = 0.2
    /// Standard deviation of each pixel's thresholds around the nominal ones (fixed-pattern mismatch). Thresholds
    /// are clamped to at least `minimumThreshold`.
    public var thresholdSigma: Float = 0.03
    /// A pixel emits nothing for this long after an event; crossings in that time move its memorised level
    /// without an event (as ESIM does).
    public var refractoryPeriod: Microseconds = 1000
    /// Background activity: ON events per pixel per second from the leak of the memorised level (v2e's leak).
    public var leakRate: Double = 0.1
    /// Spread of the per-pixel leak rates, in decades (log10 standard deviation).
    public var leakRateSpreadDecades: Double = 0.1
    /// Shot noise: events per pixel per second at zero intensity, falling linearly to a quarter of this at
    /// intensity 1; half ON, half OFF. Shot noise events do not move the memorised level.
    public var shotNoiseRate: Double = 0.5
    /// ε in log(I + ε): keeps black pixels finite.
    public var logEpsilon: Float = 0.01
    /// At a reset each pixel's memorised level starts up to this fraction of a threshold away from its input
    /// (uniformly, either side), so that leak events and first events are not synchronised across the array.
    public var resetJitter: Float = 0.5

    /// The smallest threshold a mismatched pixel may have.
    public static let minimumThreshold: Float = 0.01

    public init() {}

    /// An ideal pixel: exact thresholds, no refractory period, no noise, no reset jitter (for tests and figures).
    public static var ideal: PixelParameters {
        var p = PixelParameters()
        p.thresholdSigma = 0
        p.refractoryPeriod = 0
        p.leakRate = 0
        p.shotNoiseRate = 0
        p.resetJitter = 0
        return p
    }
}
