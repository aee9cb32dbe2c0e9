import Testing
import Foundation
import DVSEvents
import TestSupport
import EventFormats
@testable import Datasets

@Suite("DVS128 Gesture")
struct DVSGestureTests {
    /// A DvsGesture folder with one recording of `ev` (written by `write`), two labelled rows and the trial lists.
    func layout(_ ev: EventBuffer, write: (EventBuffer, String) throws -> Void) throws -> URL {
        let root = try SharedMaterial.temporaryDirectory()
        let base = root.appendingPathComponent("DvsGesture").path
        try makeDirectory(base)
        try write(ev, "\(base)/user01_fluorescent.aedat")
        try "class,startTime_usec,endTime_usec\r\n1,1000,20000\r\n11,30000,60000\r\n"
            .write(toFile: "\(base)/user01_fluorescent_labels.csv", atomically: true, encoding: .utf8)
        try "user01_fluorescent.aedat\n\n".write(toFile: "\(base)/trials_to_train.txt", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(base)/trials_to_test.txt", atomically: true, encoding: .utf8)
        return root
    }

    func checkCuts(_ ev: EventBuffer, root: URL) throws {
        let train = try DVSGesture.dataset(root: root.path, part: .train)
        #expect(train.samples.map(\.label) == [0, 10])
        #expect(train.samples.map(\.window) == [1000..<20000, 30000..<60000])
        let cut = try train.events(of: train.samples[1])
        let expected = ev.events.filter { (30000..<60000).contains($0.t) }
        #expect(cut.events == expected && cut.count > 100)
        #expect(try DVSGesture.dataset(root: root.appendingPathComponent("DvsGesture").path, part: .test).samples.isEmpty)
    }

    @Test("labelled rows become [start, end) samples labelled class − 1, for the trials of each part")
    func samples() throws {
        let ev = syntheticEvents(4000, seed: 9, start: 0)     // t from 0 to about 100,000 µs
        let root = try layout(ev) { try writeEvents($0, to: $1) }
        defer { try? FileManager.default.removeItem(at: root) }
        try checkCuts(ev, root: root)
    }

    @Test("the same from an AEDAT 3.1 recording as the dataset ships")
    func aedat31() throws {
        let ev = syntheticEvents(4000, seed: 9, start: 0)
        let root = try layout(ev) { try writeAEDAT31($0, to: $1) }
        defer { try? FileManager.default.removeItem(at: root) }
        try checkCuts(ev, root: root)
    }

    @Test("a bad label row is an error naming the file and line", arguments: [
        "class,startTime_usec,endTime_usec\n1,10,5\n", "class,startTime_usec,endTime_usec\n12,1,5\n", "1;2;3\n",
    ])
    func badLabels(text: String) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x_labels.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try DVSGesture.parseLabels(path) } throws: { e in
            guard let e = e as? DatasetError else { return false }
            return e.kind == .badLabels && e.location?.hasPrefix("line ") == true && e.path == path
        }
    }

    @Test("a missing trials list is an error")
    func missingTrials() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect { try DVSGesture.dataset(root: dir.path, part: .train) } throws: { e in (e as? DatasetError)?.kind == .missing }
    }
}
