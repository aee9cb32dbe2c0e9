/// How many items a queue passed on, dropped and merged: shown in the view and logged at the end.
public struct QueueTally: Sendable, Equatable {
    /// Items accepted by `put`.
    public var received = 0
    /// Items handed to the consumer (after merging).
    public var delivered = 0
    /// Items thrown away by `.drop`.
    public var dropped = 0
    /// Items folded into another by `.merge`.
    public var merged = 0
    /// Times the producer waited on a full queue under `.block`.
    public var blocked = 0

    public init() {}
}
