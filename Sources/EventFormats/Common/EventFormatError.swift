/// Why a file could not be read or written: what was expected, what was found, and where.
///
/// The description reads like `bad packet header at byte 4096 of x.aedat4: expected a declared stream id
/// (declared: 0, 1), found 7`, so that a user can act on it.
public struct EventFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case cannotOpen = "cannot open"
        case ioFailure = "read or write failure"
        case unknownFormat = "unknown format"
        case badMagic = "wrong magic"
        case badHeader = "bad header"
        case badPacket = "bad packet"
        case badCompression = "broken compression frame"
        case badRecord = "bad record"
        case outsideSensor = "coordinates outside the sensor"
        case timeBackwards = "time going backwards"
        case truncated = "truncated file"
        case unsupported = "unsupported"
        /// The reader of a pipe went away (`ottt convert IN - | head`): the end of the output, not a failure.
        case outputClosed = "output closed"
    }

    public var kind: Kind
    /// The file's path as the user gave it.
    public var file: String
    /// Byte offset in the file where the problem starts, when there is one.
    public var offset: Int64?
    public var expected: String
    public var found: String

    public init(_ kind: Kind, file: String, offset: Int64?, expected: String, found: String) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let place = offset.map { "at byte \($0) of \(file)" } ?? "in \(file)"
        return "\(kind.rawValue) \(place): expected \(expected), found \(found)"
    }
}

/// A problem a reader could step over (the format allows it): counted and reported, never silently dropped.
public struct EventFormatWarning: Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int64?
    /// How many times this warning has occurred so far.
    public var count: Int

    public init(message: String, offset: Int64?, count: Int = 1) {
        self.message = message
        self.offset = offset
        self.count = count
    }

    public var description: String {
        let times = count > 1 ? " (\(count) times)" : ""
        return offset.map { "\(message) (first at byte \($0))\(times)" } ?? "\(message)\(times)"
    }
}
