import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
import Pipeline
import Tensors
@testable import ottt

@Suite("ottt replay")
struct ReplayCommandTests {
    /// A small AEDAT 4 file: 16×16, 3000 events 100 µs apart, the left half active first, then the right half.
    static func writeRecording(_ path: String) throws {
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: SensorSize(width: 16, height: 16))
        let buffer = EventBuffer()
        var state: UInt64 = 99
        for i in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = Int(state >> 33)
            buffer.append(t: 5_000_000 + Int64(i) * 100, x: UInt16((i < 1500 ? 0 : 8) + r % 8), y: UInt16((r >> 8) % 16),
                          p: UInt8((r >> 16) & 1))
        }
        try writer.write(buffer)
        try writer.finish()
    }

    static func run(_ words: [String]) throws {
        try ReplayCommand(arguments: Arguments(words)).run()
    }

    @Test("--record writes a recording, journal and starting point; replaying it gives the same weights and scores")
    func recordThenReplay() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let input = dir + "/in.aedat4", recording = dir + "/session.aedat4", script = dir + "/teach.txt"
        try Self.writeRecording(input)
        try "0 0\n150ms 1\n250ms none\n".write(toFile: script, atomically: true, encoding: .utf8)
        let common = ["--speed", "max", "--json"]
        try Self.run([input, "--net", "2x8x8:c4-a2-fc2", "--dt", "5ms", "--teach-from", script, "--record", recording,
                      "--reset", "silence:20ms", "--save", dir + "/a.safetensors"] + common)
        for side in [".journal", ".init.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: recording + side))
        }
        try Self.run([recording, "--save", dir + "/b.safetensors"] + common)

        let a = try SafeTensors.read(path: dir + "/a.safetensors"), b = try SafeTensors.read(path: dir + "/b.safetensors")
        #expect(a.names == b.names)
        for name in a.names { #expect(a.entries[name]?.bytes == b.entries[name]?.bytes, "\(name) differs") }
        #expect(a.metadata["ottt.stage"] == b.metadata["ottt.stage"])
        #expect(a.metadata["ottt.stage"]?.contains("\"scored\"") == true)
    }

    @Test("a replay stopped part-way (--stop-after) and resumed (--resume) ends with the weights of an uninterrupted one, bit for bit",
          arguments: ["40ms", "150ms", "200ms"], [[], ["--no-class-memory"]])
    func stopAndResume(stopAfter: String, memory: [String]) throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let input = dir + "/in.aedat4", labels = dir + "/labels.csv"
        try Self.writeRecording(input)
        // Label 0 while the left half is active, 1 for the right half, and a gap without a label between.
        try "start_us,end_us,label\n5000000,5140000,0\n5160000,5300000,1\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let common = [input, "--net", "2x8x8:c4-a2-fc2", "--dt", "5ms", "--learn", "--label-file", labels,
                      "--reset", "silence:20ms", "--speed", "max", "--print", "lines"] + memory
        try Self.run(common + ["--save", dir + "/whole.safetensors"])
        try Self.run(common + ["--stop-after", stopAfter, "--save", dir + "/part.safetensors"])
        try Self.run(common + ["--resume", dir + "/part.safetensors", "--save", dir + "/resumed.safetensors"])

        let whole = try SafeTensors.read(path: dir + "/whole.safetensors")
        let part = try SafeTensors.read(path: dir + "/part.safetensors")
        let resumed = try SafeTensors.read(path: dir + "/resumed.safetensors")
        let stopped = try #require(try RunningCheckpoint.position(in: part.metadata, file: "part"))
        let ended = try #require(try RunningCheckpoint.position(in: whole.metadata, file: "whole"))
        #expect(stopped.stage.lastBin! < ended.stage.lastBin!, "the stopped run ended before the stream did")
        #expect(whole.names == resumed.names)
        // 40 ms stops inside a labelled segment (label 0): its summed gradients and the update count carry over.
        for name in whole.names { #expect(whole.entries[name]?.bytes == resumed.entries[name]?.bytes, "\(name) differs") }
        #expect(whole.metadata["ottt.stage"] == resumed.metadata["ottt.stage"], "steps, scores and metrics carry over")
        #expect(whole.metadata["ottt.learner"] == resumed.metadata["ottt.learner"], "updates made")
        #expect(whole.metadata["ottt.learner.classes"] == resumed.metadata["ottt.learner.classes"], "classes taught")
        #expect(whole.names.contains("learner.prototypes.means") == memory.isEmpty, "kept by the default memory")
        #expect((whole.metadata["ottt.learner.classes"] != nil) == memory.isEmpty, "the default memory's watch")
        #expect(whole.names.contains { whole.entries[$0]?.bytes != part.entries[$0]?.bytes }, "the resumed run learned more")
    }

    /// A longer AEDAT 4 file: 16×16, `seconds` of events 100 µs apart, written in chunks as a camera would.
    static func writeLongRecording(_ path: String, seconds: Int) throws {
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: SensorSize(width: 16, height: 16))
        for chunk in 0..<(seconds * 10) {
            let buffer = EventBuffer()
            for i in 0..<1000 {
                let n = chunk * 1000 + i
                buffer.append(t: Int64(n) * 100, x: UInt16(n % 16), y: UInt16((n / 16) % 16), p: UInt8(n & 1))
            }
            try writer.write(buffer)
        }
        try writer.finish()
    }

    @Test("--stop-after stops at that stream time at --speed max too, and --resume reads the same labels again")
    func stopAfterAtMaxSpeed() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let input = dir + "/long.aedat4", labels = dir + "/labels.csv"
        try Self.writeLongRecording(input, seconds: 4)
        try "start_us,end_us,label\n0,2000000,0\n2000000,4000000,1\n".write(toFile: labels, atomically: true, encoding: .utf8)
        let common = [input, "--net", "2x8x8:c4-a2-fc2", "--dt", "10ms", "--speed", "max", "--print", "lines"]
        try Self.run(common + ["--learn", "--label-file", labels, "--stop-after", "100ms", "--save", dir + "/part.safetensors"])
        let part = try SafeTensors.read(path: dir + "/part.safetensors")
        let stopped = try #require(try RunningCheckpoint.position(in: part.metadata, file: "part"))
        #expect(stopped.stage.lastBin! <= 10, "stopped after 100 ms of 10 ms bins, not at bin \(stopped.stage.lastBin!)")
        #expect(stopped.settings.labelFile == labels)

        // Resumed without --label-file: the checkpoint's labels are read again, and the rest is learned and scored.
        try Self.run(common + ["--resume", dir + "/part.safetensors", "--save", dir + "/resumed.safetensors"])
        let resumed = try SafeTensors.read(path: dir + "/resumed.safetensors")
        let ended = try #require(try RunningCheckpoint.position(in: resumed.metadata, file: "resumed"))
        #expect(ended.stage.lastBin! >= 390)
        #expect(ended.stage.metrics.scored > 300, "the resumed session scored against the labels: \(ended.stage.metrics.scored)")
    }

    @Test("--resume of a session taught by a teacher refuses without labels, naming the flags to give")
    func resumeWithoutTeacher() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let input = dir + "/in.aedat4", script = dir + "/teach.txt"
        try Self.writeRecording(input)
        try "0 0\n150ms 1\n".write(toFile: script, atomically: true, encoding: .utf8)
        let common = [input, "--net", "2x8x8:c4-a2-fc2", "--dt", "5ms", "--speed", "max", "--print", "lines"]
        try Self.run(common + ["--teach-from", script, "--stop-after", "50ms", "--save", dir + "/part.safetensors"])
        do {
            try Self.run(common + ["--resume", dir + "/part.safetensors"])
            Issue.record("resumed without labels")
        } catch let e as UsageError { #expect(e.description.contains("--teach-from FILE or --label-file CSV"), "\(e)") }
    }

    @Test("--learn with no label source is refused with the ways to give labels")
    func learnWithoutLabels() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        try Self.writeRecording(dir + "/in.aedat4")
        do {
            try Self.run([dir + "/in.aedat4", "--learn", "--speed", "max", "--print", "lines"])
            Issue.record("--learn without labels ran")
        } catch let e as UsageError { #expect(e.description.contains("--label-file"), "\(e)") }
        #expect(throws: UsageError.self) { try LiveCommand(arguments: Arguments(["--learn"])) }
    }

    @Test("a fresh network for a label file gets its class count (Gesture's files have 11 classes, the presets 10)")
    func classesFromLabels() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let input = dir + "/in.aedat4"
        try Self.writeRecording(input)
        // DVS128 Gesture's form: class,startTime_usec,endTime_usec, classes 1…11 (read as 0…10).
        var csv = "class,startTime_usec,endTime_usec\n"
        for c in 1...11 { csv += "\(c),\(5_000_000 + (c - 1) * 25_000),\(5_000_000 + c * 25_000)\n" }
        try csv.write(toFile: dir + "/in_labels.csv", atomically: true, encoding: .utf8)
        try Self.run([input, "--net", "2x8x8:c4-a2-fc10", "--learn", "--dt", "5ms", "--speed", "max", "--print", "lines",
                      "--save", dir + "/g.safetensors"])
        let saved = try RunningCheckpoint.position(in: try SafeTensors.read(path: dir + "/g.safetensors").metadata, file: "g")
        #expect(saved?.settings.network.hasSuffix("fc11") == true, "\(saved?.settings.network ?? "")")
    }

    @Test("--teach-from on a recording with NAME_labels.csv beside it: the teacher's labels are used, the file's ignored")
    func teacherOverFoundLabels() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        let input = dir + "/in.aedat4", script = dir + "/teach.txt", recording = dir + "/taught.aedat4"
        try Self.writeRecording(input)
        try "start_us,end_us,label\n5000000,5300000,0\n".write(toFile: dir + "/in_labels.csv", atomically: true, encoding: .utf8)
        try "0 1\n".write(toFile: script, atomically: true, encoding: .utf8)
        try Self.run([input, "--net", "2x8x8:c4-a2-fc2", "--dt", "5ms", "--teach-from", script, "--record", recording,
                      "--speed", "max", "--print", "lines"])
        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.records.filter { $0.kind == .label }.map(\.label) == [1])
    }

    @Test("usage errors", arguments: [
        [], ["f", "--speed", "0"], ["f", "--when-behind", "later"], ["f", "--reset", "sometimes"], ["f", "--print", "png"],
        ["f", "--record", "x.csv"], ["f", "--teach", "--teach-from", "-"], ["f", "--resume", "a", "--model", "b"],
        ["f", "--stop-after", "soon"], ["f", "--stop-after", "0s"],
    ])
    func usage(words: [String]) {
        #expect(throws: UsageError.self) { try ReplayCommand(arguments: Arguments(words)) }
    }

    @Test("a missing file is one clear failure")
    func missingFile() {
        #expect(throws: CommandFailure.self) { try Self.run(["/nonexistent/x.aedat4", "--speed", "max", "--print", "lines"]) }
    }
}
