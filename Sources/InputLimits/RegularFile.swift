import Glibc

/// What kind of thing a path names, checked before it is opened: opening a FIFO blocks until a writer comes,
/// reading a device never ends, and Foundation reports a directory as "NSCocoaErrorDomain error 256". Every
/// reader of a user's path asks here first and says in one line what the path is instead.
public enum RegularFile {
    /// Why `path` cannot be read as a file: nil for a regular file (or a symbolic link to one), else a phrase
    /// such as "is a directory" or "does not exist".
    public static func problem(with path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return errno == ENOENT ? "does not exist" : "cannot be examined (\(String(cString: strerror(errno))))"
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, not a file"
        case S_IFIFO: return "is a FIFO (named pipe), not a file: it is not read, to avoid waiting for a writer"
        case S_IFCHR: return "is a character device, not a file"
        case S_IFBLK: return "is a block device, not a file"
        case S_IFSOCK: return "is a socket, not a file"
        default: return "is not a regular file"
        }
    }
}
