import Foundation
import Testing
import TestSupport
import InputLimits
@testable import Tensors

@Suite("AtomicFile: write, fsync, rename, fsync the directory")
struct AtomicFileTests {
    @Test("a checkpoint's bytes are synced under the temporary name, then its directory after the rename")
    func syncOrder() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.safetensors").path
        let seen = CallLog<FileSync.Target>()
        try FileSync.$observer.withValue(seen.add) {
            try AtomicFile.write([1, 2, 3, 4], to: path)
        }
        #expect(seen.calls == [.file(PartialFiles.temporary(for: path)), .directory(dir.path)])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3, 4]))
        #expect(!FileManager.default.fileExists(atPath: PartialFiles.temporary(for: path)))
    }

}
