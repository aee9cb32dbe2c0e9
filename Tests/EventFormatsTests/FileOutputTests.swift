import Foundation
import Testing
import TestSupport
import EventFormats
import InputLimits

@Suite("FileOutput: atomic files and recordings that survive a power cut")
struct FileOutputTests {
    @Test("finish fsyncs the temporary file, renames it, then fsyncs the directory")
    func atomicFinish() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.bin").path
        let syncs = CallLog<FileSync.Target>()
        try FileSync.$observer.withValue(syncs.add) {
            let out = try FileOutput(path: path)
            try out.write([1, 2, 3])
            #expect(syncs.calls.isEmpty)
            try out.finish()
        }
        #expect(syncs.calls == [.file(PartialFiles.temporary(for: path)), .directory(dir.path)])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3]))
    }

    @Test("a file written in place has its directory fsynced when created, its bytes at each sync and at the end")
    func inPlace() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("rec.aedat4").path
        let syncs = CallLog<FileSync.Target>()
        try FileSync.$observer.withValue(syncs.add) {
            let out = try FileOutput(path: path, inPlace: true)
            #expect(syncs.calls == [.directory(dir.path)])
            try out.write([7, 8])
            try out.sync()
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([7, 8]))   // flushed before the fsync
            try out.write([9])
            try out.finish()
        }
        #expect(syncs.calls == [.directory(dir.path), .file(path), .file(path)])
    }
}
