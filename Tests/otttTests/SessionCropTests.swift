import DVSEvents
import EventFormats
import Foundation
import Pipeline
import Tensors
import Testing
import TestSupport
@testable import ottt

@Suite("ottt replay and live --from --until --area")
struct SessionCropTests {
    @Test("replay --until --area learns from that part on the area's sensor; the recording holds it and replays bit for bit")
    func replayCropped() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.aedat4", labels = dir + "/labels.csv", recording = dir + "/cropped.aedat4"
        try ReplayCommandTests.writeRecording(input)                     // 16×16, 5 s + 0…300 ms, left half then right
        try "start_us,end_us,label\n5000000,5150000,0\n5150000,5300000,1\n".write(toFile: labels, atomically: true, encoding: .utf8)
        try ReplayCommandTests.run([input, "--net", "2x8x8:c4-a2-fc2", "--dt", "5ms", "--learn", "--label-file", labels,
                                    "--speed", "max", "--print", "lines", "--from", "20ms", "--until", "250ms",
                                    "--area", "4,0,8,16", "--record", recording, "--save", dir + "/a.safetensors"])
        let recorded = try EventFile.open(path: recording)
        #expect(recorded.info.sensor == SensorSize(width: 8, height: 16))
        let events = try recorded.readAll().events
        let all = try EventFile.open(path: input).readAll().events
        let kept: [Event] = all.filter { (e: Event) -> Bool in e.t >= 5_020_000 && e.t < 5_250_000 && e.x >= 4 && e.x < 12 }
        let expected: [Event] = kept.map { (e: Event) -> Event in Event(t: e.t, x: e.x - 4, y: e.y, on: e.on) }
        #expect(events == expected, "the events the learner saw: \(events.count) of \(expected.count)")
        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.settings.crop == "from 20000 µs until 250000 µs after the first event, area 4,0,8,16")
        #expect(journal.settings.sensor == SensorSize(width: 8, height: 16))

        try ReplayCommandTests.run([recording, "--speed", "max", "--print", "lines", "--save", dir + "/b.safetensors"])
        let a = try SafeTensors.read(path: dir + "/a.safetensors"), b = try SafeTensors.read(path: dir + "/b.safetensors")
        #expect(a.names == b.names)
        for name in a.names { #expect(a.entries[name]?.bytes == b.entries[name]?.bytes, "\(name) differs") }
    }

    @Test("a crop with a journal is refused (the journal replays what was recorded); --no-journal allows it")
    func cropWithJournal() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.aedat4", recording = dir + "/rec.aedat4", script = dir + "/teach.txt"
        try ReplayCommandTests.writeRecording(input)
        try "0 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        let common = ["--net", "2x8x8:c4-a2-fc2", "--dt", "5ms", "--speed", "max", "--print", "lines"]
        try ReplayCommandTests.run([input, "--teach-from", script, "--record", recording] + common)
        do {
            try ReplayCommandTests.run([recording, "--area", "0,0,8,8"] + common)
            Issue.record("a crop replayed a journal")
        } catch let e as UsageError { #expect(e.description.contains("--no-journal"), "\(e)") }
        try ReplayCommandTests.run([recording, "--area", "0,0,8,8", "--no-journal"] + common)
    }

    @Test("an area off the sensor is a usage error naming the sensor, on replay and live", arguments: [
        ["replay", "--area", "10,0,8,8"], ["replay", "--area", "0,0,0,4"], ["live", "--simulate", "--area", "30,8,4,4"],
    ])
    func offSensor(words: [String]) throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.aedat4"
        try ReplayCommandTests.writeRecording(input)
        do {
            if words[0] == "replay" {
                try ReplayCommandTests.run([input, "--speed", "max", "--print", "lines"] + words.dropFirst())
            } else {
                try LiveCommand(arguments: Arguments(Array(words.dropFirst()) + ["--print", "lines"])).run()
            }
            Issue.record("\(words) ran")
        } catch let e as UsageError {
            #expect(e.description.contains("--area"), "\(e)")
            #expect(e.description.contains("16×16") || e.description.contains("32×32") || e.description.contains("X,Y,W,H"), "\(e)")
        }
    }

    @Test("live takes --area but not --from or --until (a camera's stream has no end to cut at)")
    func liveFlags() throws {
        let live = try LiveCommand(arguments: Arguments(["--simulate", "--area", "8,8,16,16"]))
        #expect(live.area == EventCrop.Area(x: 8, y: 8, width: 16, height: 16))
        #expect(throws: UsageError.self) { try LiveCommand(arguments: Arguments(["--simulate", "--until", "2s"])) }
    }

    @Test("live --simulate --area: the view, the recording and the network see the 16×16 middle of the 32×32 simulator")
    func liveCropped() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recording = dir + "/sim.aedat4"
        var live = try LiveCommand(arguments: Arguments(["--simulate", "--teach", "--area", "8,8,16,16", "--net",
                                                         "2x16x16:c4-a2-fc10", "--record", recording, "--json"]))
        live.keys = TimedKeys([(0, "3"), (0.5, "q")])
        try live.run()
        let recorded = try EventFile.open(path: recording)
        #expect(recorded.info.sensor == SensorSize(width: 16, height: 16))
        let events = try recorded.readAll().events
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { (e: Event) -> Bool in e.x < 16 && e.y < 16 })
        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.settings.crop == "area 8,8,16,16")
    }
}
