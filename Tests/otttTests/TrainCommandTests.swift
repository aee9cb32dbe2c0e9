import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
import DVSEvents
import EventFormats
import Training
import Datasets
import SNN
import Pictures
@testable import ottt

/// A network small enough for debug builds: 2×8×8 → conv 8 → pool → Linear, T = 4.
private let tiny = ["--net", "2x8x8:c8-a2-fc4", "--T", "4", "--batch", "8", "--lr", "0.1"]

private func train(_ words: [String]) throws -> TrainingRun {
    let run = try TrainCommand(arguments: Arguments(words)).makeRun()
    run.showProgress = false
    try run.run()
    return run
}

@Suite("ottt train")
struct TrainCommandTests {
    @Test("synthetic data: test accuracy rises far above chance; metrics, plot and checkpoints are written")
    func learnsSynthetic() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = dir.appendingPathComponent("metrics.jsonl").path, plot = dir.appendingPathComponent("curves.svg").path
        let run = try train(["--dataset", "synthetic", "--samples", "128", "--epochs", "3", "--out", dir.path,
                             "--metrics", metrics, "--plot", plot] + tiny)
        #expect(run.history.count == 3)
        let last = try #require(run.history.last)
        #expect(try #require(last.testAccuracy) > 0.8, "chance is 0.25; got \(last)")
        #expect(last.trainLoss < run.history[0].trainLoss)

        let lines = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["epoch"] as? Int == 1)
        #expect(first["lr"] as? Double == 0.1)
        #expect(Set(first.keys) == ["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc", "samples_per_s", "seconds"])

        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("accuracy"))
        for name in ["last.safetensors", "best.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path))
        }
    }

    @Test("--resume continues from the checkpoint of epoch 1 (parity in TrainerTests); model flags cannot change")
    func resume() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let common = ["--dataset", "synthetic", "--samples", "64"] + tiny
        let straight = try train(common + ["--epochs", "2"])
        let first = dir.appendingPathComponent("first").path
        _ = try train(common + ["--epochs", "1", "--out", first])
        let ckpt = first + "/last.safetensors"
        let resumed = try train(["--resume", ckpt, "--epochs", "2", "--out", dir.appendingPathComponent("second").path])

        #expect(resumed.history.count == 2)
        #expect(resumed.history[0] == straight.history[0].withSeconds(resumed.history[0]))
        #expect(abs(resumed.history[1].trainLoss - straight.history[1].trainLoss) < 1e-4)

        // A finished run asks for more epochs; model flags cannot change.
        #expect(throws: TrainingError.self) { try TrainCommand(arguments: Arguments(["--resume", ckpt])).makeRun() }
        #expect(throws: UsageError.self) { try TrainCommand(arguments: Arguments(["--resume", ckpt, "--lr", "0.5"])) }
    }

    @Test("eval reports the checkpoint's test accuracy, per class, with a confusion matrix and --json")
    func eval() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try train(["--dataset", "synthetic", "--samples", "64", "--epochs", "2", "--out", dir.path] + tiny)
        let command = try EvalCommand(arguments: Arguments([dir.appendingPathComponent("last.safetensors").path]))
        let (m, noRates) = try command.evaluate()
        #expect(m.total == 16 && noRates.sampleSteps == 0)
        #expect(abs(m.accuracy - run.history.last!.testAccuracy!) < 1e-12)
        #expect(abs(m.meanLoss - run.history.last!.testLoss!) < 1e-5)
        #expect(m.perClass.count == 4)

        let object = try #require(try JSONSerialization.jsonObject(with: Data(try EvalCommand.json(m, split: "test").utf8)) as? [String: Any])
        #expect(object["samples"] as? Int == 16)
        #expect((object["confusion"] as? [[Int]])?.flatMap { $0 }.reduce(0, +) == 16)
        #expect((object["classes"] as? [String])?.count == 4)

        let train = try EvalCommand(arguments: Arguments([dir.appendingPathComponent("last.safetensors").path, "--split", "train"]))
        #expect(try train.evaluate().0.total == 64)

        let withRates = try EvalCommand(arguments: Arguments([dir.appendingPathComponent("last.safetensors").path, "--rates"]))
        let (again, rates) = try withRates.evaluate()
        #expect(again.correct == m.correct && rates.perLayer.count == 1 && rates.sampleSteps > 0)
        #expect(rates.perLayer.allSatisfy { (0...1).contains($0) } && (0...1).contains(rates.total))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try EvalCommand.json(again, split: "test", rates: rates).utf8)) as? [String: Any])
        #expect((json["spike_rates"] as? [Double])?.count == 1 && json["total_spike_rate"] is Double)
    }

    @Test("a folder of event files per class: frames cached once, learned above chance")
    func folderDataset() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path, cache = dir.appendingPathComponent("cache").path
        try writeFolderDataset(at: data, perClass: 20)
        let words = ["--dataset", "folder", "--data", data, "--cache", cache, "--net", "2x8x8:c8-a2-fc2", "--T", "4",
                     "--batch", "4", "--lr", "0.1", "--epochs", "3"]
        let run = try train(words)
        #expect(run.trainer.train.count == 36 && run.trainer.test?.count == 4)
        #expect(run.data.classes == ["left", "right"])
        #expect(try #require(run.history.last?.testAccuracy) >= 0.75, "\(run.history)")
        let caches = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".frames") }
        #expect(caches.count == 2)
        // A second run, the dataset kind guessed from the layout, reuses the caches (same files, nothing new).
        let again = try TrainCommand(arguments: Arguments(Array(words.dropFirst(2))))
        #expect(again.location.source == .events(.folders))
        _ = try again.makeRun()
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".frames") }.sorted() == caches.sorted())
    }

    @Test("CIFAR10-DVS layout: the paper preset's pipeline (paper frames, its mean and std, 900/100 split) runs end to end")
    func cifarLayout() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("CIFAR10DVS").path
        var state: UInt64 = 99
        for name in CIFAR10DVS.classes {
            try FileManager.default.createDirectory(atPath: "\(data)/\(name)", withIntermediateDirectories: true)
            for i in 0..<10 {
                let events = EventBuffer()
                for k in 0..<200 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    events.append(t: Int64(k), x: UInt16((state >> 20) % 128), y: UInt16((state >> 40) % 128), p: UInt8(state >> 63))
                }
                let writer = try EventFile.create(path: "\(data)/\(name)/cifar10_\(name)_\(i).aedat", format: .aedat2, sensor: .dvs128)
                try writer.write(events)
                try writer.finish()
            }
        }
        let run = try train(["--dataset", "cifar10dvs", "--data", data, "--cache", dir.appendingPathComponent("cache").path,
                             "--net", "2x8x8:c4-a2-fc10", "--T", "2", "--batch", "16", "--epochs", "1"])
        #expect(run.data.frames == .paper)
        #expect(run.data.normalization == [0.2728, 0.1295, 0.2225, 0.1290])
        #expect(run.trainer.train.count == 90 && run.trainer.test?.count == 10)
        #expect(run.history.count == 1 && run.history[0].trainLoss.isFinite)
        // Without --net the paper preset is the default: its VGG, T 10, batch 128, lr 0.1, 300 epochs.
        let paper = try TrainCommand(arguments: Arguments(["--dataset", "cifar10dvs", "--data", data])).config
        #expect(paper.preset == "paper-cifar10dvs" && paper.steps == 10 && paper.batch == 128 && paper.epochs == 300)
        #expect(paper.learningRate == 0.1 && paper.momentum == 0.9 && paper.optimizer == .sgd && paper.dropout == 0.1)
        #expect(paper.network == NetworkSpec.preset("paper-cifar10dvs")!.description)
    }

    @Test("unwritable --plot, --metrics or --out fail before any training")
    func unwritableOutputs() throws {
        let base = ["--dataset", "synthetic", "--samples", "8", "--epochs", "1"] + tiny
        for extra in [["--plot", "/nonexistent/c.svg"], ["--metrics", "/nonexistent/m.jsonl"], ["--out", "/proc/ottt"]] {
            // A chart that cannot be written throws Pictures' typed error, which `ottt` prints as it printed its own.
            let error = #expect(throws: (any Error).self) { try TrainCommand(arguments: Arguments(base + extra)).makeRun() }
            #expect(error is CommandFailure || error is PictureWriteError, "\(extra): \(String(describing: error))")
        }
    }

    @Test("bad flags are usage errors", arguments: [
        [],                                                          // no --dataset
        ["--dataset", "nope"],
        ["--dataset", "cifar10dvs"],                                 // no --data
        ["--dataset", "synthetic", "--data", "/tmp"],
        ["--dataset", "synthetic", "--rule", "sgd"],
        ["--dataset", "synthetic", "--T", "0"],
        ["--dataset", "synthetic", "--optimizer", "lbfgs"],
        ["--dataset", "synthetic", "--preset", "huge"],
        ["--dataset", "synthetic", "--preset", "small32", "--net", "2x8x8:c8-fc4"],
        ["--dataset", "synthetic", "--net", "2x8x8:c8-fc10"],        // 4 synthetic classes
        ["--dataset", "synthetic", "--net", "2x8x8:q8-fc4"],
        ["--dataset", "synthetic", "--frobnicate"],
        ["--dataset", "synthetic", "--classes", "1"],
        ["--dataset", "synthetic", "--tau", "0.5"],
        ["--dataset", "synthetic", "--neuron", "if", "--tau", "3"],
        ["--dataset", "synthetic", "--neuron", "izhikevich"],
        ["--dataset", "synthetic", "--gamma", "2"],
        ["--dataset", "synthetic", "--T", "10", "--T-train", "20"],
        ["--dataset", "synthetic", "--cosine-epochs", "0"],
    ])
    func usageErrors(words: [String]) {
        #expect(throws: UsageError.self) { try TrainCommand(arguments: Arguments(words)) }
    }

    @Test("usage errors exit 64 and failures exit 1 from the executable", .enabled(if: otttExecutable != nil))
    func exitCodes() throws {
        #expect(try runOttt(["train", "--dataset", "nope"]).status == 64)
        #expect(try runOttt(["eval"]).status == 64)
        let failure = try runOttt(["eval", "/nonexistent.safetensors"])
        #expect(failure.status == 1)
        #expect(failure.stderr.contains("/nonexistent.safetensors"))
    }

    @Test("the official options reach the configuration; each epoch's line ends with the best test accuracy")
    func officialOptions() throws {
        let c = try TrainCommand(arguments: Arguments(["--dataset", "synthetic", "--tau", "4", "--gamma", "0.1", "--T", "8",
                                                       "--T-train", "5", "--cosine-epochs", "50", "--epochs", "3"])).config
        #expect(c.tau == 4 && c.gamma == 0.1 && c.trainSteps == 5 && c.cosineHorizon == 50 && c.epochs == 3)
        let spec = try c.spec()
        #expect(c.lif == LIF(tau: 4) && spec.neuron == LIF(tau: 4))
        let f = try TrainCommand(arguments: Arguments(["--dataset", "synthetic", "--neuron", "if"])).config
        #expect(f.lif == .integrateAndFire && f.tau == nil && f.trainSteps == nil)
        var m = EpochMetrics(epoch: 2, learningRate: 0.1, trainLoss: 1, trainAccuracy: 0.5, samplesPerSecond: 10, seconds: 1)
        m.testAccuracy = 0.25
        var best = m
        best.testAccuracy = 0.75
        #expect(TrainCommand.line(m, epochs: 3, history: [best]).contains("acc 25.00% (max 75.00%)"))
    }
}

extension EpochMetrics {
    /// The same metrics with another run's timings (which never repeat).
    func withSeconds(_ other: EpochMetrics) -> EpochMetrics {
        var m = self
        m.seconds = other.seconds
        m.samplesPerSecond = other.samplesPerSecond
        return m
    }
}

/// Two classes of 32×32 AEDAT 4 recordings: events in the left half (class "left") or the right half ("right").
func writeFolderDataset(at root: String, perClass: Int) throws {
    let sensor = SensorSize(width: 32, height: 32)
    var state: UInt64 = 12345
    for (label, name) in ["left", "right"].enumerated() {
        let folder = root + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for i in 0..<perClass {
            let events = EventBuffer()
            for k in 0..<2000 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = state >> 16
                events.append(t: Int64(k * 10), x: UInt16(Int(r % 16) + 16 * label), y: UInt16((r >> 8) % 32),
                              p: UInt8((r >> 20) & 1))
            }
            let writer = try EventFile.create(path: "\(folder)/\(i).aedat4", format: .aedat4, sensor: sensor)
            try writer.write(events)
            try writer.finish()
        }
    }
}

/// The `ottt` executable beside the test bundle, when it was built.
let otttExecutable: String? = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("ottt").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}()

/// Runs the `ottt` executable and returns its exit status and stderr.
func runOttt(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: otttExecutable!)
    p.arguments = arguments
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
