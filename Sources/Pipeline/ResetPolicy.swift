import DVSEvents

/// When the learner forgets its neuron state (membrane potentials, traces) and its running prediction.
public enum ResetPolicy: Equatable, Sendable, Codable, CustomStringConvertible {
    /// Never: one continuous stream.
    case never
    /// When the label changes (a new labelled sample starts).
    case label
    /// After the stream has been silent (bins without events) for at least this long.
    case silence(Microseconds)

    /// Parses `never`, `label` or `silence:DURATION` with DURATION like `200ms`, `1.5s` or `5000us`.
    public init(parsing text: String) throws(PipelineError) {
        switch text {
        case "never": self = .never
        case "label": self = .label
        default:
            guard text.hasPrefix("silence:"), let d = parseDuration(String(text.dropFirst("silence:".count))), d > 0 else {
                throw PipelineError(file: "--reset", expected: "never, label or silence:DURATION (e.g. silence:200ms)",
                                    found: "'\(text)'")
            }
            self = .silence(d)
        }
    }

    public var description: String {
        switch self {
        case .never: "never"
        case .label: "label"
        case .silence(let d): "silence:\(d)us"
        }
    }
}

/// Parses a duration with a unit (`us`, `ms`, `s`; a bare number is µs) into µs.
public func parseDuration(_ text: String) -> Microseconds? {
    let units: [(String, Double)] = [("us", 1), ("µs", 1), ("ms", 1e3), ("s", 1e6)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        guard let v = Double(text.dropLast(suffix.count)), v.isFinite, v >= 0 else { return nil }
        return Microseconds((v * scale).rounded())
    }
    guard let v = Int64(text), v >= 0 else { return nil }
    return v
}

/// Applies a `ResetPolicy` frame by frame: a pure function of the frames and labels it is shown, so that a replay
/// resets at exactly the same steps as the session it replays.
public struct ResetTracker: Sendable, Codable, Equatable {
    public let policy: ResetPolicy
    private var seenFrame = false
    private var previousLabel: Int?
    private var silentSince: Microseconds?
    private var resetThisSilence = false

    public init(policy: ResetPolicy) { self.policy = policy }

    /// Whether to reset before stepping on `frame`, which carries `label`.
    public mutating func shouldReset(before frame: BinnedFrame, label: Int?) -> Bool {
        switch policy {
        case .never:
            return false
        case .label:
            defer { seenFrame = true; previousLabel = label }
            return seenFrame && previousLabel != label                       // the first frame is fresh already
        case .silence(let duration):
            guard frame.events == 0 else {
                silentSince = nil
                resetThisSilence = false
                return false
            }
            let since = silentSince ?? frame.start
            silentSince = since
            if !resetThisSilence && frame.end - since >= duration {
                resetThisSilence = true
                return true
            }
            return false
        }
    }
}
