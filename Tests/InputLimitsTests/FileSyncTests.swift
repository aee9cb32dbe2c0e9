import Foundation
import Testing
import TestSupport
@testable import InputLimits

@Suite("FileSync: every fsync through one place")
struct FileSyncTests {
    @Test("the directory of a path", arguments: [("a/b/c.bin", "a/b"), ("c.bin", "."), ("/c.bin", "/"), ("/x/c", "/x")])
    func directoryOf(path: String, directory: String) {
        #expect(FileSync.directory(of: path) == directory)
    }

    @Test("syncs a file and a directory, and tells the observer of each")
    func observed() throws {
        let path = NSTemporaryDirectory() + "/filesync-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        let seen = CallLog<FileSync.Target>()
        FileSync.$observer.withValue(seen.add) {
            #expect(FileSync.file(fd, path: path))
            FileSync.directory(containing: path)
        }
        #expect(seen.calls == [.file(path), .directory(FileSync.directory(of: path))])
        #expect(!FileSync.file(-1, path: "closed"))                          // a failed fsync says so
    }

}
