// Shared by the fuzz entries (compiled into each by tools/fuzz and tools/fuzz-engine): the input as a file.
import Glibc

/// Writes libFuzzer's input bytes to `path` (created or truncated), so that readers take the user's path.
func writeFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(path)")
    var done = 0
    while done < size {
        let r = write(fd, data + done, size - done)
        precondition(r > 0, "cannot write \(path)")
        done += r
    }
    close(fd)
}
