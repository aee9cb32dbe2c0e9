/// What one online learning step did.
public enum LearnOutcome: Sendable, Equatable {
    case learned(loss: Float)
    /// The loss or an updated weight was not finite; the update was undone. The text says where.
    case nonFinite(String)
}
