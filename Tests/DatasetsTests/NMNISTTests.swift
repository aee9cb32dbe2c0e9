import Testing
import Foundation
import TestSupport
import EventBinning
@testable import Datasets

@Suite("N-MNIST")
struct NMNISTTests {
    @Test("Train/<digit>/*.bin and Test/<digit>/*.bin layouts, labelled by folder")
    func layout() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for part in ["Train", "Test"] {
            for d in 0...9 {
                try makeDirectory("\(root.path)/\(part)/\(d)")
                for i in 0..<(part == "Train" ? 3 : 1) { touch("\(root.path)/\(part)/\(d)/\(10000 + i).bin") }
            }
        }
        let train = try NMNIST.dataset(root: root.path, part: .train)
        #expect(train.samples.count == 30 && train.countsPerClass == Array(repeating: 3, count: 10))
        #expect(train.samples[29].label == 9 && train.format == .nmnist && train.sensor == .nmnist)
        let test = try NMNIST.dataset(root: "\(root.path)/Test", part: .test)
        #expect(test.samples.count == 10)
    }

    @Test("reads the tonic N-MNIST sample from a mock layout and bins it on 34×34",
          .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func reads() throws {
        let root = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        for d in 0...9 { try makeDirectory("\(root.path)/Test/\(d)") }
        try FileManager.default.copyItem(atPath: SharedMaterial.recording("tonic_sample_nmnist.bin"),
                                         toPath: "\(root.path)/Test/3/00001.bin")
        let test = try NMNIST.dataset(root: root.path, part: .test)
        #expect(test.samples.map(\.label) == [3])
        let events = try test.events(of: test.samples[0])
        #expect(events.count == 4325 && events.t.first == 654 && events.t.last == 311_175)
        let frames = try test.frames(of: test.samples[0], recipe: FrameRecipe(slicing: .timeBins(frames: 3), resize: nil))
        #expect(frames.height == 34 && frames.width == 34)
        #expect(frames.total(channel: 1) == 2145 && frames.total(channel: 0) == 2180)
    }
}
