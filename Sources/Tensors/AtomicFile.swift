import InputLimits
#if canImport(Glibc)
import Glibc
#endif

/// Writing a whole file so that it appears complete or not at all: the bytes go to `path.partial-<pid>`, which is
/// fsynced and renamed over `path`; the directory is fsynced so that the rename survives a crash.
enum AtomicFile {
    struct Failure: Error { var reason: String }

    static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        PartialFiles.removeStale(for: path)               // left by a writer that was killed (SIGKILL)
        let temp = PartialFiles.temporary(for: path)
        PartialFiles.register(temp)                       // removed at SIGINT/SIGTERM while it exists
        defer { PartialFiles.unregister(temp) }
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if r < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd); unlink(temp)
                throw Failure(reason: reason)
            }
            done += r
        }
        guard FileSync.file(fd, path: temp) else {
            let reason = String(cString: strerror(errno))
            close(fd); unlink(temp)
            throw Failure(reason: "fsync: \(reason)")
        }
        close(fd)
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw Failure(reason: "rename: \(reason)")
        }
        FileSync.directory(containing: path)
    }
}
