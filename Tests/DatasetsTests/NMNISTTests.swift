import Testing
import Foundation
import TestSupport
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
}
