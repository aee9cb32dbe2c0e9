/// How fast a replay plays its file: a multiple of real time, or as fast as the learner goes.
public enum ReplaySpeed: Equatable, Sendable, CustomStringConvertible {
    case factor(Double)
    case max

    /// Parses `1`, `4`, `0.5` or `max`.
    public init?(parsing text: String) {
        if text == "max" { self = .max; return }
        guard let f = Double(text), f.isFinite, f > 0 else { return nil }
        self = .factor(f)
    }

    public var description: String {
        switch self {
        case .max: "max"
        case .factor(let f): f == f.rounded() ? "\(Int(f))" : "\(f)"
        }
    }
}
