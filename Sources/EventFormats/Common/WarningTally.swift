/// Counts the problems a reader stepped over, one entry per kind of problem, in the order they first occurred.
///
/// Decoders count in plain integers inside their loops and report here once per block, so that tallying costs
/// nothing per event.
struct WarningTally {
    private(set) var warnings: [EventFormatWarning] = []

    /// Adds `count` occurrences of `message`; `offset` is kept from the first occurrence.
    mutating func note(_ message: String, offset: Int64?, count: Int = 1) {
        guard count > 0 else { return }
        if let i = warnings.firstIndex(where: { $0.message == message }) {
            warnings[i].count += count
        } else {
            warnings.append(EventFormatWarning(message: message, offset: offset, count: count))
        }
    }
}

/// One kind of skipped input counted inside a decoding loop: how many, and where the first one was.
struct SkipCounter {
    private(set) var count = 0
    private(set) var firstOffset: Int64 = -1

    @inline(__always)
    mutating func hit(at offset: Int64) {
        if count == 0 { firstOffset = offset }
        count &+= 1
    }

    /// Moves the count into `tally` under `message` and starts again from zero.
    mutating func flush(into tally: inout WarningTally, _ message: @autoclosure () -> String) {
        guard count > 0 else { return }
        tally.note(message(), offset: firstOffset, count: count)
        count = 0
    }
}
