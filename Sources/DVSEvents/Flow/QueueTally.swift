/// How many items a bounded queue passed on, dropped and merged: shown in the live view, logged at the end, and the
/// camera's queue counters.
public struct QueueTally: Sendable, Equatable, Hashable {
    /// Items accepted by `put` (merged ones included).
    public var received = 0
    /// Items handed to the consumer (after merging).
    public var delivered = 0
    /// Items thrown away by `.drop`, or by `.merge` past its limit.
    public var dropped = 0
    /// Items folded into another by `.merge`.
    public var merged = 0
    /// Times the producer waited on a full queue under `.block`.
    public var blocked = 0
    /// The most items ever waiting at once.
    public var maxDepth = 0

    public init() {}
}
