/// Microseconds. Every timestamp in ottt is 64-bit, whatever width the file or camera used.
public typealias Microseconds = Int64

/// One brightness-change event: when, where, and which way.
///
/// `x` and `y` are sensor coordinates with the origin at the top-left unless a reader's convention says
/// otherwise (see `Orientation` in the format readers). `on` is true for a brightness increase (ON, p = 1).
public struct Event: Hashable, Sendable, CustomStringConvertible {
    public var t: Microseconds
    public var x: UInt16
    public var y: UInt16
    public var on: Bool

    @inlinable
    public init(t: Microseconds, x: UInt16, y: UInt16, on: Bool) {
        self.t = t
        self.x = x
        self.y = y
        self.on = on
    }

    /// Polarity as a number: 1 for ON, 0 for OFF (the `p` column of CSV files and of every peer's arrays).
    @inlinable public var p: UInt8 { on ? 1 : 0 }

    public var description: String { "(t: \(t), x: \(x), y: \(y), p: \(p))" }
}
