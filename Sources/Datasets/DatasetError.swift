/// Why a dataset could not be found, listed, read or cached: where, what was expected and what was found.
public struct DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case missing = "missing"
        case badLayout = "unexpected layout"
        case badLabels = "bad label file"
        case badCache = "bad frame cache"
        case staleCache = "stale frame cache"
        case ioFailure = "read or write failure"
    }

    public var kind: Kind
    /// The file or folder concerned.
    public var path: String
    /// Line (label files, 1-based) or byte offset (caches) where the problem starts, when there is one.
    public var location: String?
    public var expected: String
    public var found: String

    public init(_ kind: Kind, path: String, location: String? = nil, expected: String, found: String) {
        self.kind = kind
        self.path = path
        self.location = location
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let place = location.map { "at \($0) of \(path)" } ?? "in \(path)"
        return "\(kind.rawValue) \(place): expected \(expected), found \(found)"
    }
}
