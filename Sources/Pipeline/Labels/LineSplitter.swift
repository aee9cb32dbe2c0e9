/// Splits bytes into text lines as they arrive, in time linear in the bytes and memory bounded by `limit`: each
/// byte is looked at once (no rescanning of a pending line), and a line longer than `limit` bytes is reported once,
/// as soon as it is known to be too long, and its remaining bytes are skipped up to the next newline (a 50 MB line,
/// `/dev/zero` on stdin). Lines are numbered from 1; a final line without a newline is delivered by `finish`.
struct LineSplitter {
    enum Piece: Equatable {
        case line(String, number: Int)
        /// Line `number` is longer than the limit: it is skipped.
        case tooLong(number: Int)
    }

    let limit: Int
    private var pending: [UInt8] = []
    private var skipping = false
    private var number = 1

    init(limit: Int) { self.limit = max(limit, 1) }

    /// Splits `bytes`, the next part of the stream, handing each complete line (without its newline) to `each`.
    mutating func push(_ bytes: some Collection<UInt8>, _ each: (Piece) -> Void) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
            let part = rest[..<(newline ?? rest.endIndex)]
            if !skipping {
                if pending.count + part.count > limit {
                    skipping = true
                    pending = []
                    each(.tooLong(number: number))
                } else {
                    pending.append(contentsOf: part)
                }
            }
            guard let newline else { return }
            if !skipping { each(.line(String(decoding: pending, as: UTF8.self), number: number)) }
            pending.removeAll(keepingCapacity: true)
            skipping = false
            number += 1
            rest = rest[rest.index(after: newline)...]
        }
    }

    /// The end of the stream: delivers a last line that had no newline.
    mutating func finish(_ each: (Piece) -> Void) {
        if !skipping && !pending.isEmpty { each(.line(String(decoding: pending, as: UTF8.self), number: number)) }
        pending = []
        skipping = false
    }
}
