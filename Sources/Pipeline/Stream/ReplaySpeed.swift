/// How fast a replay plays its file: a multiple of real time, or as fast as the learner goes.
public enum ReplaySpeed: Equatable, Sendable, CustomStringConvertible {
    case factor(Double)
    case max

    /// The factors accepted: slower or faster than this makes waits or slices that no clock can keep.
    public static let factors: ClosedRange<Double> = 1e-6...1e6

    /// Parses `1`, `4`, `0.5` or `max`; a factor outside `factors` (`1e-300`) is nil.
    public init?(parsing text: String) {
        if text == "max" { self = .max; return }
        guard let f = Double(text), Self.factors.contains(f) else { return nil }
        self = .factor(f)
    }

    public var description: String {
        switch self {
        case .max: "max"
        case .factor(let f): f == f.rounded() && abs(f) < 1e15 ? "\(Int(f))" : "\(f)"
        }
    }
}
