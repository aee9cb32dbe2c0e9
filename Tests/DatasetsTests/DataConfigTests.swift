import Foundation
import Testing
import TestSupport
import SNN
import Training
import Datasets

@Suite("Data configuration in checkpoints")
struct DataConfigTests {
    @Test("sources are one word each; the older spellings are read too", arguments: [
        ("cifar10dvs", SampleSource.events(.cifar10dvs)), ("gesture", .events(.dvsgesture)),
        ("dvsgesture", .events(.dvsgesture)), ("folder", .events(.folders)), ("FOLDERS", .events(.folders)),
        ("nmnist", .events(.nmnist)), ("synthetic", .synthetic),
    ])
    func names(name: String, source: SampleSource) throws {
        #expect(SampleSource(name: name) == source)
        let decoded = try JSONDecoder().decode([SampleSource].self, from: Data("[\"\(name)\"]".utf8))
        #expect(decoded == [source])
        #expect(SampleSource(name: source.name) == source)
    }

    @Test("an unknown source is a decoding error listing the known ones")
    func unknown() {
        #expect(SampleSource(name: "mnist") == nil)
        #expect { try JSONDecoder().decode([SampleSource].self, from: Data(#"["mnist"]"#.utf8)) } throws: { error in
            "\(error)".contains("synthetic")
        }
    }

    @Test("read from its own metadata entry, or from the training entry of older checkpoints")
    func stored() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = DataConfig(dataset: .events(.dvsgesture), frames: .clean, normalization: [0.1, 0.2, 0.3, 0.4],
                              classes: ["a", "b"], syntheticSamples: 8, syntheticSeed: 2)
        let training = TrainingConfig(network: "2x8x8:c4-a2-fc2", steps: 2)
        let net = Network(spec: try training.spec(), seed: 1)
        let new = dir.appendingPathComponent("new.safetensors").path
        try Checkpoint.save(to: new, network: net, optimizer: nil,
                            metadata: ["training": training.json, DataConfig.metadataKey: data.json])
        #expect(try DataConfig.stored(in: Checkpoint.load(from: new)) == data)

        // Before the split: {"batch":…, "data":{"dataset":"gesture",…}, …} in one entry.
        let nested = String(training.json.dropLast()) + #","data":{"classes":["a","b"],"dataset":"gesture","frames":"clean","#
            + #""normalization":[0.1,0.2,0.3,0.4],"syntheticSamples":8,"syntheticSeed":2}}"#
        let old = dir.appendingPathComponent("old.safetensors").path
        try Checkpoint.save(to: old, network: net, optimizer: nil, metadata: ["training": nested])
        let checkpoint = try Checkpoint.load(from: old)
        #expect(try DataConfig.stored(in: checkpoint) == data)
        #expect(try TrainingConfig.stored(in: checkpoint) == training)
    }

    @Test("synthetic samples need no folder; train and test are disjoint ranges of one sequence")
    func synthetic() throws {
        let location = DataLocation(source: .synthetic, directory: nil, cacheDirectory: "/nonexistent")
        let config = DataConfig(dataset: .synthetic, frames: .clean, classes: try location.classes(syntheticClasses: 3),
                                syntheticSamples: 12, syntheticSeed: 5)
        let (train, normalization) = try location.samples(.train, config: config, steps: 2, frameShape: [2, 4, 4], augment: true)
        let (test, _) = try location.samples(.test, config: config, steps: 2, frameShape: [2, 4, 4], augment: false)
        #expect(normalization == nil && train.count == 12 && test.count == 3)
        #expect(test.labels == [0, 1, 2] && train.classes == ["class0", "class1", "class2"])
        #expect(throws: DatasetError.self) { try location.events(.train) }
    }
}
