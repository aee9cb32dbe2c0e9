import DVSEvents

/// Turns the bytes of USB transfers into polarity events, keeping its state (timestamps, last row or column)
/// from one transfer to the next. A word split across two transfers is completed by the next one.
public protocol EventWordDecoder {
    /// Appends the events in `bytes` to `out`.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into out: EventBuffer)
    /// The timestamp state after the last word.
    var clock: TimestampClock { get }
    /// Words that were not understood or pointed off the pixel array (transmission errors), counted not thrown.
    var invalidWords: Int { get }
}

/// Splits a byte stream into little-endian words of `size` bytes, carrying a partial word to the next call.
struct WordSplitter: Sendable {
    let size: Int
    private var carry: [UInt8] = []

    init(size: Int) {
        precondition(size == 2 || size == 4, "event words are 2 or 4 bytes, not \(size)")
        self.size = size
    }

    /// Calls `body` with each whole word of `carry + bytes`.
    mutating func forEachWord(in bytes: UnsafeRawBufferPointer, _ body: (UInt32) -> Void) {
        var start = 0
        if !carry.isEmpty {
            while carry.count < size && start < bytes.count {
                carry.append(bytes[start])
                start += 1
            }
            guard carry.count == size else { return }
            body(carry.reversed().reduce(0) { $0 << 8 | UInt32($1) })
            carry.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - start) / size
        if size == 2 {
            for i in 0..<whole {
                let o = start + 2 * i
                body(UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8)
            }
        } else {
            for i in 0..<whole {
                let o = start + 4 * i
                body(UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24)
            }
        }
        for i in (start + whole * size)..<bytes.count { carry.append(bytes[i]) }
    }
}
