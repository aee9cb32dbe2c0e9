import DVSEvents

/// One network input made from one or more consecutive Δt bins: what flows from the binner to the learner.
public struct BinnedFrame: Sendable {
    /// The bin indices it covers (more than one after a merge). Bin k spans [origin + k·Δt, origin + (k+1)·Δt).
    public var bins: ClosedRange<Int>
    /// Stream time µs of its first bin's start and of its last bin's end.
    public var start: Microseconds
    public var end: Microseconds
    /// Events binned into it.
    public var events: Int
    /// The network input [C, H, W] after resizing and normalisation.
    public var values: [Float]

    public init(bins: ClosedRange<Int>, start: Microseconds, end: Microseconds, events: Int, values: [Float]) {
        self.bins = bins
        self.start = start
        self.end = end
        self.events = events
        self.values = values
    }

    /// Folds the bins of `later` (which must follow this frame's bins) into this frame: inputs are summed, the time
    /// span and the bin range grow. What `.merge` does when the network falls behind.
    mutating func absorb(_ later: BinnedFrame) {
        precondition(later.bins.lowerBound > bins.upperBound,
                     "merging bins \(later.bins) into \(bins): the later frame must follow")
        precondition(later.values.count == values.count,
                     "merging a frame of \(later.values.count) values into one of \(values.count)")
        for i in values.indices { values[i] += later.values[i] }
        bins = bins.lowerBound...later.bins.upperBound
        end = later.end
        events += later.events
    }
}
