/// One kind of skipped input counted inside a decoding loop: how many, and where the first one was.
///
/// Decoders count in plain integers inside their loops and move the count into a `WarningTally` once per block, so
/// that tallying costs nothing per event.
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
        tally.add(message(), at: firstOffset, count: count)
        count = 0
    }
}
