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
