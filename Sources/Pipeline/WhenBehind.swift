/// What a full queue does with one more item when its consumer (the network) falls behind its producer.
public enum WhenBehind: String, CaseIterable, Sendable {
    /// The producer waits: nothing is lost, latency grows (replay's default; a file can wait, a camera cannot).
    case block
    /// The oldest queued item is thrown away to make room: latency stays bounded, data is lost (counted).
    case drop
    /// The new item is folded into the newest queued one (frames are summed): nothing is lost, the network takes
    /// one step for several bins (counted). Live's default.
    case merge
}

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
