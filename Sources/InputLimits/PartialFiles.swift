import Glibc
import Synchronization

/// The `PATH.partial-PID` files that atomic writers (checkpoints, `convert`, `--record`) write before renaming
/// into place. A process killed with SIGKILL cannot remove its own; the next writer of the same path removes the
/// ones whose process is gone, so that interrupted runs do not leave them forever. A process stopped by SIGINT or
/// SIGTERM removes its own: writers `register` their temporary file while it exists, and `removeOnSignals()`
/// installs handlers that unlink the registered files and then end the process by the same signal.
public enum PartialFiles {
    /// The temporary name this process uses for `path`.
    public static func temporary(for path: String) -> String { "\(path).partial-\(getpid())" }

    /// Removes `path.partial-PID` files whose PID names no running process; returns the paths removed.
    @discardableResult
    public static func removeStale(for path: String) -> [String] {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let prefix = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".partial-"
        guard let dir = opendir(directory.isEmpty ? "/" : directory) else { return [] }
        defer { closedir(dir) }
        var removed: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid > 0,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let full = "\(directory)/\(name)"
            if unlink(full) == 0 { removed.append(full) }
        }
        return removed
    }

    // The registry lives in memory a signal handler can read without locks or allocation: `slots` fixed-size
    // NUL-terminated paths; a slot is live when its first byte is not 0 (set last on register, cleared first).
    private static let slots = 64
    private static let slotBytes = 4096
    nonisolated(unsafe) private static let table: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slots * slotBytes)
        p.initialize(repeating: 0, count: slots * slotBytes)
        return p
    }()
    private static let lock = Mutex(())

    /// Notes that `path` (a temporary file) exists until `unregister`; a path too long for a slot, or beyond
    /// `slots` at once, is left to `removeStale`.
    public static func register(_ path: String) {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < slotBytes, !bytes.contains(0) else { return }
        lock.withLock { _ in
            for i in 0..<slots where table[i * slotBytes] == 0 {
                let slot = table + i * slotBytes
                for (k, b) in bytes.enumerated().dropFirst() { slot[k] = CChar(bitPattern: b) }
                slot[bytes.count] = 0
                slot[0] = CChar(bitPattern: bytes[0])                      // live from here
                return
            }
        }
    }

    /// `path` was renamed into place or removed: no longer the handlers' to remove.
    public static func unregister(_ path: String) {
        lock.withLock { _ in
            for i in 0..<slots where table[i * slotBytes] != 0 {
                let slot = table + i * slotBytes
                if String(cString: slot) == path { slot[0] = 0 }
            }
        }
    }

    /// The temporary files registered now (for tests).
    public static var registered: [String] {
        lock.withLock { _ in
            (0..<slots).filter { table[$0 * slotBytes] != 0 }.map { String(cString: table + $0 * slotBytes) }
        }
    }

    /// Installs handlers for SIGINT and SIGTERM that unlink every registered file, then restore the default action
    /// and raise the signal again (the process ends as it would have, its status saying which signal), and unblocks
    /// both in the calling thread. Call it from the main thread before others start. A command
    /// that handles SIGINT itself (a session's graceful stop) replaces this handler while it runs.
    public static func removeOnSignals() {
        _ = table                                                           // made before any handler can run
        // A parent may hand its blocked signals down (a test runner's thread, a service manager): unblock these two.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { sig in
                PartialFiles.removeRegistered()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Unlinks every registered file: async-signal-safe (reads the table, calls unlink only).
    public static func removeRegistered() {
        for i in 0..<slots where table[i * slotBytes] != 0 { unlink(table + i * slotBytes) }
    }
}
