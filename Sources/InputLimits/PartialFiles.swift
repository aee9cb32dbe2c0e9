import Glibc

/// The `PATH.partial-PID` files that atomic writers (checkpoints, `convert`, `--record`) write before renaming
/// into place. A process killed with SIGKILL cannot remove its own; the next writer of the same path removes the
/// ones whose process is gone, so that interrupted runs do not leave them forever.
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
}
