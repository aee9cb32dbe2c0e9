import Glibc

/// fsync in one place: the bytes of a file, and the directory entry that names it, reach the disk, so that a power
/// cut keeps them (a `kill -9` needs only the write). Every writer that promises durability goes through here:
/// checkpoints (`AtomicFile`: write, sync, rename, sync the directory), `convert`'s output and `--record`
/// (`FileOutput`: a recording is synced at each periodic flush, at most once a second, and at the end).
///
/// Why here: both halves of the package write such files (EventFormats, Tensors) and neither imports the other.
public enum FileSync {
    /// What was synced: a file (by the path it is written under) or a directory.
    public enum Target: Sendable, Equatable {
        case file(String), directory(String)
    }

    /// Hears every sync made on the current task, before it is made: a seam for tests (nil in the program).
    @TaskLocal public static var observer: (@Sendable (Target) -> Void)?

    /// fsyncs `fd`, the open file `path`; false when it failed (then `errno` says why).
    public static func file(_ fd: Int32, path: String) -> Bool {
        observer?(.file(path))
        return fsync(fd) == 0
    }

    /// fsyncs the directory that holds `path`, so that a file created or renamed there is still named after a
    /// crash. Best effort: a file system that cannot sync a directory is not an error.
    public static func directory(containing path: String) {
        let dir = directory(of: path)
        observer?(.directory(dir))
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }

    /// The directory part of `path` ("." for a bare name, "/" for a file at the root).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}
