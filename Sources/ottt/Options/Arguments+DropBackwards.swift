import EventFormats

/// `--drop-backwards`, one of the input options `info` and `convert` share (`readOptions()`): how an AEDAT 1/2
/// record whose time goes backwards (not a 32-bit wrap) is read.
enum DropBackwardsOption {
    static let usage = """
    --drop-backwards AEDAT 1/2: drop records whose time goes backwards (not a 32-bit wrap) until time catches up,
                     so the stream stays in order; by default they are kept at their own times, as OTTT's loader
                     keeps every record. Either way `info` counts them in its warnings
    """
}

extension Arguments {
    /// Reads `--drop-backwards` into `options`.
    mutating func dropBackwards(into options: inout ReadOptions) {
        options.aedat2DropBackwards = flag("drop-backwards")
    }
}
