import DVSEvents

/// Applies a `ResetPolicy` frame by frame: a pure function of the frames and labels it is shown, so that a replay
/// resets at exactly the same steps as the session it replays.
struct ResetTracker: Sendable, Codable, Equatable {
    let policy: ResetPolicy
    private var seenFrame = false
    private var previousLabel: Int?
    private var silentSince: Microseconds?
    private var resetThisSilence = false

    init(policy: ResetPolicy) { self.policy = policy }

    /// Whether to reset before stepping on `frame`, which carries `label`.
    mutating func shouldReset(before frame: BinnedFrame, label: Int?) -> Bool {
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
