import Foundation
import Testing
import TestSupport
import InputLimits
@testable import Pipeline

@Suite("Journal writes that fail")
struct JournalFailureTests {
    @Test("a full disk while writing the journal is one line with the system's reason (#20)")
    func fullDisk() {
        let settings = testSettings(learn: false)
        #expect { try SessionJournalWriter(path: "/dev/full", settings: settings) } throws: { error in
            let text = "\(error)"
            return text.contains("No space left on device") && !text.contains("NSCocoaErrorDomain") && !text.contains("\n")
        }
    }

    @Test("a journal's directory is fsynced when it is created, the journal when it is closed")
    func synced() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rec.aedat4.journal"
        let syncs = CallLog<FileSync.Target>()
        try FileSync.$observer.withValue(syncs.add) {
            let writer = try SessionJournalWriter(path: path, settings: testSettings(learn: false))
            #expect(syncs.calls == [.directory(dir)])
            writer.close()
        }
        #expect(syncs.calls == [.directory(dir), .file(path)])
    }

    @Test("a directory as the journal's path is one line (#20)")
    func directory() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { try SessionJournalWriter(path: dir, settings: testSettings(learn: false)) } throws: { error in
            "\(error)".contains("Is a directory")
        }
    }
}
