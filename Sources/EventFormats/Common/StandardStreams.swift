import Glibc
import Synchronization

/// `-` as a path: events read from standard input or written to standard output, so that ottt composes with
/// other tools in a shell pipeline. Neither stream can seek, so only formats read and written front to back
/// travel through them (`EventFileFormat.streamsThroughPipes`); errors name them `stdin` and `stdout`.
public enum StandardStreams {
    /// The path that means standard input (as a file to read) or standard output (as a file to write).
    public static let path = "-"
    static let inputName = "stdin"
    static let outputName = "stdout"

    /// Whether `path` names a standard stream rather than a file.
    public static func isStream(_ path: String) -> Bool { path == Self.path }

    /// How messages name a file to read: `stdin` for `-`, the path otherwise.
    public static func name(ofInput path: String) -> String { isStream(path) ? inputName : path }

    /// The bytes a dropped `FileInput` on stdin had read but not consumed (a format sniff peeks at the first
    /// bytes), and the stream offset of the first: handed to the next `FileInput` on stdin, so nothing is lost.
    private static let unread = Mutex<(offset: Int64, bytes: [UInt8])>((0, []))

    static func giveBack(_ bytes: UnsafeRawBufferPointer, offset: Int64) {
        let copy = Array(bytes)
        unread.withLock { $0 = (offset, copy) }
    }

    static func takeBack() -> (offset: Int64, bytes: [UInt8]) {
        unread.withLock { kept in
            defer { kept = (kept.offset + Int64(kept.bytes.count), []) }
            return kept
        }
    }
}

extension EventFileFormat {
    /// Formats read and written front to back, without seeking or patching: those that stdin and stdout carry.
    /// (AEDAT 4.0 and 3.1 readers seek to indexes and packet ends; the AEDAT 4.0 writer patches its header.)
    public var streamsThroughPipes: Bool {
        switch self {
        case .csv, .evt2, .evt3, .aedat1, .aedat2, .dat, .nmnist: true
        case .aedat3, .aedat4: false
        }
    }

    /// The formats a pipe carries, for messages.
    static var pipeFormats: String {
        allCases.filter(\.streamsThroughPipes).map(\.rawValue).joined(separator: ", ")
    }
}
