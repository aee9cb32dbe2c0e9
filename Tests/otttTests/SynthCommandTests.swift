import DVSEvents
import Datasets
import EventBinning
import EventFormats
import Foundation
import Pictures
import Testing
import TestSupport
@testable import DVSSimulator
@testable import ottt

@Suite("ottt synth")
struct SynthCommandTests {
    let quiet = ProgressLine("test", enabled: false)

    func synth(_ words: [String]) throws -> SynthCommand.Summary {
        try SynthCommand(arguments: Arguments(words)).synthesize(progress: quiet)
    }

    func events(_ path: String) throws -> [Event] {
        try EventFile.open(path: path).readAll().events
    }

    /// Short samples keep the test fast in debug builds.
    let fast = ["--duration", "100ms", "--frame-rate", "500"]

    @Test("writes a readable labelled folder; the same seed writes the same events")
    func folder() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path
        let summary = try synth(["--task", "motion", "--samples", "4", "--seed", "3", "--out", a] + fast)
        _ = try synth(["--task", "motion", "--samples", "4", "--seed", "3", "--out", b] + fast)
        let folder = try RecordingFolder.read(directory: a)
        #expect(folder.classNames == SyntheticTask.motion.classNames)
        #expect(folder.entries.count == 4)
        #expect(folder.entries.map(\.events).reduce(0, +) == summary.events)
        // ClassFolders (ottt dataset, ottt train) reads the labels of labels.csv from the folders.
        let dataset = try ClassFolders.dataset(root: a, part: .train, trainFraction: 1)
        #expect(Set(dataset.samples.map { "\($0.name),\($0.label)" })
                == Set(folder.entries.map { "\($0.file),\($0.label)" }))
        for entry in folder.entries {
            #expect(entry.file.hasPrefix(RecordingFolder.folderNames(folder.classNames)[entry.label] + "/"))
            #expect(entry.start == 0 && entry.end == 100_000)
            let got = try events(folder.path(of: entry))
            #expect(got.count == entry.events && !got.isEmpty)
            #expect(got.allSatisfy { $0.t >= entry.start && $0.t < entry.end })
            #expect(try events(RecordingFolder.read(directory: b).path(of: entry)) == got)
        }
    }

    @Test("--stream writes one recording whose label file bounds each sample's events")
    func stream() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try synth(["--task", "digits", "--samples", "3", "--stream", "--gap", "20ms",
                                 "--out", dir.path] + fast)
        let all = try events(dir.appendingPathComponent("stream.aedat4").path)
        #expect(all.count == summary.events)
        let labels = try String(contentsOf: dir.appendingPathComponent("stream_labels.csv"), encoding: .utf8)
        let rows = labels.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Int64($0)! } }
        #expect(labels.hasPrefix("start_us,end_us,label\n"))
        #expect(rows.map { [$0[0], $0[1]] } == [[0, 100_000], [120_000, 220_000], [240_000, 340_000]])
        #expect(rows.map { Int($0[2]) } == (0..<3).map { SyntheticTask.digits.label(ofSample: $0, seed: 1) })
        #expect(all.allSatisfy { e in rows.contains { e.t >= $0[0] && e.t < $0[1] } })
    }

    @Test("--images records PGM and PNG pictures, a class per subfolder")
    func pictures() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pictures = dir.appendingPathComponent("pictures")
        let bars: [Float] = (0..<64).map { Float(($0 / 4) % 2) }
        let dot: [Float] = (0..<64).map { $0 == 27 ? 1 : 0 }
        for (name, pixels) in [("bars", bars), ("dot", dot)] {
            let folder = pictures.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if name == "bars" {
                let pgm = PortableAnymap.encodePGM(GrayImage(width: 8, height: 8, pixels: pixels))
                try Data(pgm).write(to: folder.appendingPathComponent("\(name).pgm"))
            } else {
                let rgb = pixels.flatMap { v in [UInt8](repeating: UInt8(v * 255), count: 3) }
                try PNGImage(width: 8, height: 8, rgb: rgb).write(to: folder.appendingPathComponent("\(name).png").path)
            }
        }
        let out = dir.appendingPathComponent("out").path
        _ = try synth(["--images", pictures.path, "--out", out] + fast)
        let folder = try RecordingFolder.read(directory: out)
        #expect(folder.classNames == ["bars", "dot"])
        #expect(folder.entries.map(\.label) == [0, 1])
        #expect(folder.entries.allSatisfy { $0.events > 50 })
    }

    @Test("bad flags are usage errors", arguments: [
        ["--out", "x"], ["--task", "digits"], ["--task", "letters", "--out", "x"],
        ["--task", "digits", "--images", "y", "--out", "x"], ["--task", "digits", "--out", "x", "--size", "0"],
        ["--task", "digits", "--out", "x", "--gap", "5ms"], ["--task", "digits", "--out", "x", "--samples", "-1"],
    ])
    func usage(_ words: [String]) {
        #expect(throws: UsageError.self) { try SynthCommand(arguments: Arguments(words)) }
    }

    @Test("a folder without pictures is a one-line failure naming the folder")
    func noPictures() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("x".utf8).write(to: dir.appendingPathComponent("photo.jpg"))
        let error = #expect(throws: CommandFailure.self) {
            try synth(["--images", dir.path, "--out", dir.appendingPathComponent("out").path])
        }
        #expect(error?.description.contains("no pictures found (PGM, PPM or PNG)") == true)
    }

    @Test("a broken PNG is a failure naming the file, the byte and what was expected")
    func brokenPicture() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("photo.png").path
        try Data("GIF89a".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: PictureFileError.self) {
            try synth(["--images", dir.path, "--out", dir.appendingPathComponent("out").path])
        }
        #expect(error?.description == "\(path) at byte 0: expected the PNG signature 89 50 4e 47 0d 0a 1a 0a, found bytes 47 49 46 38 39 61")
    }

    @Test("recordings/ holds what 'ottt synth' makes with the commands in recordings/README.md")
    func committedRecordings() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for task in ["digits", "motion"] {
            let out = dir.appendingPathComponent(task).path
            _ = try synth(["--task", task, "--samples", "10", "--seed", "1", "--compression", "zstd-high", "--out", out])
            let made = try RecordingFolder.read(directory: out)
            let committed = try RecordingFolder.read(directory: SharedMaterial.ownRecording(task))
            #expect(committed.entries == made.entries)
            #expect(committed.classNames == made.classNames)
            for entry in committed.entries {
                #expect(try events(committed.path(of: entry)) == events(made.path(of: entry)), "\(task) \(entry.file)")
            }
        }
        let out = dir.appendingPathComponent("stream").path
        _ = try synth(["--task", "digits", "--samples", "10", "--seed", "2", "--stream", "--gap", "50ms",
                       "--compression", "zstd-high", "--out", out])
        let committed = SharedMaterial.ownRecording("digits-stream")
        for name in ["stream_labels.csv", "classes.txt"] {
            #expect(try String(contentsOfFile: "\(committed)/\(name)", encoding: .utf8)
                    == String(contentsOfFile: "\(out)/\(name)", encoding: .utf8))
        }
        #expect(try events("\(committed)/stream.aedat4") == events("\(out)/stream.aedat4"))
    }
}
