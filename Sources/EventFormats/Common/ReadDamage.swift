/// Where a reader stopped at damage (`ReadOptions.stopAtDamage`): the error it would have thrown and the bytes
/// from the damaged packet to the end of the file that it did not read. Every event before the packet was
/// delivered.
public struct ReadDamage: Sendable, Equatable, CustomStringConvertible {
    public var error: EventFormatError
    /// Where the damaged packet starts.
    public var offset: Int64
    /// Bytes from `offset` to the end of the file, left unread.
    public var bytesIgnored: Int64

    public init(error: EventFormatError, offset: Int64, bytesIgnored: Int64) {
        self.error = error
        self.offset = offset
        self.bytesIgnored = bytesIgnored
    }

    public var description: String {
        "stopped at damage at byte \(offset), \(bytesIgnored) bytes ignored: \(error)"
    }

    /// Whether an error is damage in the file (a reader may stop at it) rather than a failure to read at all.
    static func isDamage(_ error: EventFormatError) -> Bool {
        switch error.kind {
        case .truncated, .badPacket, .badCompression, .badRecord: true
        default: false
        }
    }
}

/// A reader that can stop cleanly at damage (`ReadOptions.stopAtDamage`).
public protocol DamageReporting: AnyObject {
    /// Where reading stopped at damage, or nil while none was met (or when the option is off: then it throws).
    var damage: ReadDamage? { get }
}

/// The one policy for a reader meeting an error while it fills a chunk: deliver what the chunk holds first, then
/// stop at the damage (with `stopAtDamage`) or throw at the next call.
struct DamagePolicy {
    let stopAtDamage: Bool
    private(set) var damage: ReadDamage?
    private var pending: EventFormatError?

    init(stopAtDamage: Bool) { self.stopAtDamage = stopAtDamage }

    /// Throws an error held back from the previous chunk.
    mutating func throwPending() throws(EventFormatError) {
        if let error = pending {
            pending = nil
            throw error
        }
    }

    /// Handles `error` met in the packet starting at `offset` of a file of `size` bytes, with `delivered` events
    /// already in the chunk: records the damage, holds the error back, or throws it now. After it, the reader is
    /// finished.
    mutating func met(_ error: EventFormatError, packetAt offset: Int64, fileSize size: Int64, delivered: Int,
                      tally: inout WarningTally) throws(EventFormatError) {
        if stopAtDamage && ReadDamage.isDamage(error) {
            let d = ReadDamage(error: error, offset: offset, bytesIgnored: max(0, size - offset))
            damage = d
            tally.add(d.description, at: offset)
        } else if delivered > 0 {
            pending = error
        } else {
            throw error
        }
    }
}
