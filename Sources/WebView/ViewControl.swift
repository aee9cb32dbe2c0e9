import Pipeline

/// One of the teacher's controls as the page posts it (`application/x-www-form-urlencoded`): `label=3` or
/// `label=none`, `learning=on|off`, `reset=1`. Each does what the terminal's key does (0–9, space, l, r).
public enum ViewControl: Sendable, Equatable {
    case label(Int?)
    case learning(Bool)
    case reset

    public struct Invalid: Error, CustomStringConvertible {
        public var found: String
        public var description: String {
            "expected label=K (0..<classes) or label=none, learning=on|off, or reset=1; found '\(found)'"
        }
    }

    public init(form: String, classes: Int) throws(Invalid) {
        let fields = WebRequest.formFields(form)
        guard fields.count == 1, let (name, value) = fields.first else { throw Invalid(found: String(form.prefix(80))) }
        switch (name, value) {
        case ("label", "none"): self = .label(nil)
        case ("label", _):
            guard let k = Int(value), k >= 0, k < classes else { throw Invalid(found: String(form.prefix(80))) }
            self = .label(k)
        case ("learning", "on"): self = .learning(true)
        case ("learning", "off"): self = .learning(false)
        case ("reset", "1"): self = .reset
        default: throw Invalid(found: String(form.prefix(80)))
        }
    }

    /// Acts on the board as the key would.
    public func apply(to board: LabelBoard) {
        switch self {
        case .label(let k): board.post(LabelChange(when: .now, label: k))
        case .learning(let on): board.setLearning(on)
        case .reset: board.requestReset()
        }
    }
}
