import CameraEmulation
import DVSEvents
import EventFormats
import Foundation
import Pipeline
import Tensors
import Testing
import TestSupport
@testable import ottt

@Suite("ottt live")
struct LiveCommandTests {
    @Test("usage errors", arguments: [
        ["--camera"], ["--when-behind", "later"], ["--record", "x.csv"], ["--teach", "--teach-from", "-"], ["extra"],
    ])
    func usage(words: [String]) {
        #expect(throws: UsageError.self) { try LiveCommand(arguments: Arguments(words)) }
    }

    @Test("--simulate takes an optional task: digits when bare, whatever follows it", arguments: [
        (["--simulate"], "digits"), (["--simulate", "--teach"], "digits"), (["--teach", "--simulate"], "digits"),
        (["--simulate", "motion", "--learn"], "motion"), (["--simulate=motion"], "motion"), ([], nil),
        (["--simulate", "--learn", "--stop-after", "2s"], "digits"),
    ] as [([String], String?)])
    func simulate(words: [String], task: String?) throws {
        let live = try LiveCommand(arguments: Arguments(words))
        #expect(live.simulate?.name == task)
    }

    @Test("--simulate usage errors: an unknown task, with a camera, --learn without labels on a camera", arguments: [
        ["--simulate", "cats"], ["--simulate", "--camera", "DVS00042"], ["--simulate", "--usb-trace"], ["--learn"],
    ])
    func simulateUsage(words: [String]) {
        #expect(throws: UsageError.self) { try LiveCommand(arguments: Arguments(words)) }
    }

    @Test("`ottt live --simulate --learn` runs the live path without a camera: paced, predicting, learning from the simulator",
          .enabled(if: otttExecutable != nil))
    func simulatedSession() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recording = dir + "/sim.aedat4"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(otttExecutable))
        p.arguments = ["live", "--simulate", "--learn", "--stop-after", "1s", "--print", "lines", "--net", "2x32x32:c8-a2-a2-fc10",
                       "--record", recording]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)           // nothing from the repository or ../shared
        let (out, err) = (Pipe(), Pipe())
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let started = Date()
        try p.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        #expect(p.terminationStatus == 0, "\(stderr)")
        let lines = stdout.split(separator: "\n").filter { $0.hasPrefix("bin ") }
        #expect(lines.count >= 10, "a prediction a bin (or merged bins): \(stdout)")
        #expect(lines.first?.contains("untrained") == true, "a fresh network says so: \(lines.prefix(3))")
        #expect(lines.contains { $0.contains("predicted") && $0.contains("label") && $0.contains("loss") },
                "it learns from the simulator's labels: \(lines.suffix(3))")
        #expect(stdout.contains("prequential accuracy"), "the summary scores the labelled bins")
        #expect(seconds >= 0.9, "paced at real time: 1 s of stream took \(seconds) s")
        // The recording replays: the simulated session is a session like any other.
        let recorded = try EventFile.open(path: recording).readAll()
        #expect(recorded.count > 0)
        #expect(FileManager.default.fileExists(atPath: SessionJournal.path(forRecording: recording)))
    }

    @Test("--simulate --teach: the keys label the simulated stream and it learns; q ends it")
    func simulatedTeaching() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let save = dir + "/taught.safetensors"
        var live = try LiveCommand(arguments: Arguments(["--simulate", "--teach", "--net", "2x32x32:c8-a2-a2-fc10",
                                                         "--save", save, "--json"]))
        let keys = TimedKeys([(0, "3"), (0.6, "q")])
        live.keys = keys
        try live.run()
        #expect(keys.restored)
        let saved = try SafeTensors.read(path: save)
        let position = try #require(try RunningCheckpoint.position(in: saved.metadata, file: save))
        #expect(position.stage.metrics.scored > 0, "the bins after key 3 were scored and learned from")
        #expect(position.settings.learn)
    }

    @Test("a bad --net is a usage error (exit 64), not a crash while the session is planned", .enabled(if: otttExecutable != nil))
    func badNetwork() throws {
        let (status, stderr) = try runOttt(["live", "--simulate", "--net", "2x32x32:c8-a4-fc10", "--print", "lines"])
        #expect(status == 64, "\(stderr)")
        #expect(stderr.hasPrefix("ottt live: --net: '2x32x32:c8-a4-fc10' is neither a preset"), "\(stderr)")
    }
}

/// `ottt live` end to end, the code the command runs, against cameras emulated by umockdev through our real libusb
/// code: discovery → open → each family's start-up requests → asynchronous bulk stream → binner → network →
/// predictions, teaching from a script, `--record` and `--save`, and the camera unplugged in the middle of the
/// stream. A request the driver sends that the capture does not hold stalls the replay (a control transfer times
/// out and the test fails with the request named).
@Suite("ottt live on emulated cameras", .serialized, .enabled(if: Testbed.isAvailable, Testbed.skipReason))
struct EmulatedLiveCommandTests {
    /// What every camera sees: 600 events 24 µs apart from t = 100 µs (15 ms, inside every family's timestamp range
    /// without a wrap), spread over the 128×128 corner that all sensors have, both polarities.
    static let scene: [Event] = (0..<600).map { (i: Int) -> Event in
        let t = Microseconds(100 + 24 * i)
        let x = UInt16((7 * i) % 128), y = UInt16((13 * i) % 128)
        return Event(t: t, x: x, y: y, on: i % 3 != 0)
    }

    enum Family: String, CaseIterable, CustomTestStringConvertible {
        case dvs128, davis346, dvxplorer

        var testDescription: String { rawValue }

        var device: EmulatedDevice {
            switch self {
            case .dvs128: EmulatedDevice(productID: 0x8400, bcdDevice: 0x000E, endpoint: 0x86)
            case .davis346: EmulatedDevice(productID: 0x841A, bcdDevice: 0x0006, endpoint: 0x82)
            case .dvxplorer: EmulatedDevice(productID: 0x8419, bcdDevice: 0x0008, endpoint: 0x82)
            }
        }

        /// The last request of the family's start sequence, as the driver traces it.
        var lastStartRequest: String {
            switch self {
            case .dvs128: "OUT 0xb3 wValue 0 wIndex 0x0 data []"
            case .davis346: "OUT 0xbf wValue 1 wIndex 0x3 data [0, 0, 0, 1]"           // DVS run
            case .dvxplorer: "OUT 0xbf wValue 5 wIndex 0x3000 data [0, 0, 0, 2]"       // sensor mode: stream
            }
        }

        /// The scene as this family's event words, in three bulk transfers.
        func payloads(_ events: [Event]) -> [[UInt8]] {
            let third = (events.count + 2) / 3
            return stride(from: 0, to: events.count, by: third).map { start in
                let part = events[start..<min(start + third, events.count)]
                switch self {
                case .dvs128:
                    return part.flatMap { Words.dvs128(x: Int($0.x), y: Int($0.y), on: $0.on, t: Int($0.t)) }
                case .davis346:
                    return Words.le16(part.flatMap { e in
                        [Words.timestamp(Int(e.t)), Words.davisRow(Int(e.y)), Words.davisColumn(Int(e.x), on: e.on)]
                    })
                case .dvxplorer:
                    return Words.le16(part.flatMap { e in
                        [Words.timestamp(Int(e.t)), Words.dvxColumn(Int(e.x)), Words.dvxGroups(g1: Int(e.y) / 8, offset: 0),
                         Words.dvxMask(group: 1, UInt8(1 << (Int(e.y) % 8)), on: e.on)]
                    })
                }
            }
        }

        /// The capture: discovery and opening, the family's start-up, the scene, then the unplug (every transfer
        /// in flight fails with ESHUTDOWN).
        func capture(streaming events: [Event]) -> UsbmonCapture {
            var c = UsbmonCapture(bus: UInt16(device.bus), device: UInt8(device.address))
            var urbs: [UInt64]
            switch self {
            case .dvs128:
                Transcripts.discovery(&c, serial: "DVS00042")
                Transcripts.dvs128Open(&c)
                urbs = Transcripts.dvs128Start(&c)
            case .davis346:
                Transcripts.discovery(&c, serial: "00000346", logic: 18, patch: 1, chip: 5)
                Transcripts.davis346Open(&c)
                urbs = Transcripts.davisStart(&c)
            case .dvxplorer:
                Transcripts.discovery(&c, serial: "DXA00001", logic: 18, patch: 2, chip: 20)
                Transcripts.dvxplorerOpen(&c)
                urbs = Transcripts.dvxplorerStart(&c)
            }
            let size = self == .dvs128 ? 4096 : 8192
            urbs = c.stream(endpoint: device.endpoint, length: size, inFlight: urbs, payloads: payloads(events))
            c.unplug(endpoint: device.endpoint, inFlight: urbs)
            return c
        }
    }

    static func emulate(_ family: Family) throws -> Testbed {
        let bed = Testbed()
        try bed.add(family.device)
        try bed.replay(family.capture(streaming: scene), on: family.device)
        return bed
    }

    /// Runs `ottt live` with `words`; returns the failure it ended with, if any.
    static func live(_ words: [String]) throws -> CommandFailure? {
        do { try LiveCommand(arguments: Arguments(words)).run() } catch let failure as CommandFailure { return failure }
        return nil
    }

    @Test("unplug mid-stream: exit 74 with a clear line, every event learned from and recorded, the recording replays to the same weights",
          arguments: Family.allCases)
    func unplug(family: Family) throws {
        let bed = try Self.emulate(family)
        defer { withExtendedLifetime(bed) {} }
        let dir = try SharedMaterial.temporaryDirectory().path
        let recording = dir + "/live.aedat4", script = dir + "/teach.txt"
        let liveSave = dir + "/live.safetensors", replaySave = dir + "/replay.safetensors"
        try "0 1\n6ms 0\n".write(toFile: script, atomically: true, encoding: .utf8)

        let requests = Requests()
        var command = try LiveCommand(arguments: Arguments(["--net", "2x8x8:c4-a2-fc2", "--dt", "1ms", "--teach-from",
                                                            script, "--record", recording, "--save", liveSave, "--json"]))
        command.requests = { requests.add($0) }
        var failure: CommandFailure?
        do { try command.run() } catch let f as CommandFailure { failure = f }
        let f = try #require(failure, "an unplugged camera ends `ottt live` with a failure")
        #expect(requests.lines.last == family.lastStartRequest, "no stop request is sent to a camera that is gone")
        #expect(f.exitCode == 74)
        #expect(f.description.contains("disconnected after 600 events"), "\(f)")
        #expect(f.description.contains("the 600 events received before it were processed"), "\(f)")
        #expect(f.description.contains("\(recording) is complete and readable"), "\(f)")

        // The recording is closed and holds exactly what the camera sent; the journal has its end line.
        let recorded = try EventFile.open(path: recording).readAll()
        #expect(recorded.events == Self.scene)
        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.isComplete)
        #expect(journal.end?.lastBin == 14, "bins of 1 ms from t = 100 µs to the last event at 14 476 µs")

        // The last, partial bin was learned from too: the running checkpoint ends after the last event.
        let live = try SafeTensors.read(path: liveSave)
        let position = try #require(try RunningCheckpoint.position(in: live.metadata, file: liveSave))
        #expect(position.stage.lastBin == 14 && position.stage.lastEnd == 15_100)
        #expect(position.stage.metrics.scored > 0, "the taught labels were scored and learned from")

        // `ottt replay` of the recording reproduces the session: the same weights and running state, bit for bit.
        try ReplayCommand(arguments: Arguments([recording, "--speed", "max", "--save", replaySave, "--json"])).run()
        let replayed = try SafeTensors.read(path: replaySave)
        #expect(live.names == replayed.names)
        for name in live.names { #expect(live.entries[name]?.bytes == replayed.entries[name]?.bytes, "\(name) differs") }
        #expect(live.metadata["ottt.stage"] == replayed.metadata["ottt.stage"])
    }

    @Test("--teach: key 1 labels the stream, q ends the session cleanly (no failure) and stops the camera, and the recording replays to the same weights")
    func teachAndQuit() throws {
        let device = Family.dvs128.device
        var c = UsbmonCapture(bus: UInt16(device.bus), device: UInt8(device.address))
        Transcripts.discovery(&c, serial: "DVS00042")
        Transcripts.dvs128Open(&c)
        let urbs = Transcripts.dvs128Start(&c)
        _ = c.stream(endpoint: device.endpoint, length: 4096, inFlight: urbs, payloads: Family.dvs128.payloads(Self.scene))
        Transcripts.dvs128Stop(&c)             // then the transfers still in flight are cancelled
        let bed = Testbed()
        try bed.add(device)
        try bed.replay(c, on: device)
        defer { withExtendedLifetime(bed) {} }
        let dir = try SharedMaterial.temporaryDirectory().path
        let recording = dir + "/taught.aedat4", liveSave = dir + "/live.safetensors", replaySave = dir + "/replay.safetensors"

        // A person who presses 1 at once and q half a second later (the 15 ms scene has long arrived by then).
        let keys = TimedKeys([(0, "1"), (0.5, "q")])
        var live = try LiveCommand(arguments: Arguments(["--net", "2x8x8:c4-a2-fc2", "--dt", "1ms", "--teach",
                                                         "--record", recording, "--save", liveSave, "--json"]))
        live.keys = keys
        let requests = Requests()
        live.requests = { requests.add($0) }
        try live.run()
        #expect(keys.restored, "the terminal is given back")
        #expect(requests.lines.suffix(2) == [Family.dvs128.lastStartRequest, "OUT 0xb4 wValue 0 wIndex 0x0 data []"],
                "q stops the camera's stream (0xB4) before it is closed")

        let recorded = try EventFile.open(path: recording).readAll()
        #expect(recorded.events == Self.scene, "every event the camera sent is in the recording")
        let journal = try SessionJournal.read(path: SessionJournal.path(forRecording: recording))
        #expect(journal.isComplete)
        #expect(journal.records.contains { $0.kind == .label && $0.label == 1 }, "the key's label is in the journal")
        let saved = try SafeTensors.read(path: liveSave)
        let position = try #require(try RunningCheckpoint.position(in: saved.metadata, file: liveSave))
        #expect(position.stage.metrics.scored > 0, "the learner learned from label 1")

        try ReplayCommand(arguments: Arguments([recording, "--speed", "max", "--save", replaySave, "--json"])).run()
        let replayed = try SafeTensors.read(path: replaySave)
        for name in saved.names { #expect(saved.entries[name]?.bytes == replayed.entries[name]?.bytes, "\(name) differs") }
        #expect(saved.metadata["ottt.stage"] == replayed.metadata["ottt.stage"])
    }

    @Test("no camera attached: one clear failure (exit 1) naming what was looked for")
    func noCamera() throws {
        let bed = Testbed()
        defer { withExtendedLifetime(bed) {} }
        let failure = try Self.live(["--net", "2x8x8:c4-a2-fc2", "--print", "lines"])
        let f = try #require(failure)
        #expect(f.exitCode == 1)
        #expect(f.description.contains("no camera"), "\(f)")
    }
}

/// Keys a person types, each after a delay in seconds from the previous one.
final class TimedKeys: KeyInput, @unchecked Sendable {
    // @unchecked: the fields are guarded by `lock`.
    private let lock = NSLock()
    private var script: [(delay: Double, key: Character)]
    private var due: Date?
    private var isRestored = false

    init(_ script: [(Double, Character)]) { self.script = script.map { (delay: $0.0, key: $0.1) } }

    func readKey() -> UInt8? {
        lock.lock()
        var key: UInt8?
        if let next = script.first {
            let deadline = due ?? Date().addingTimeInterval(next.delay)
            if Date() >= deadline {
                script.removeFirst()
                due = nil
                key = next.key.asciiValue
            } else {
                due = deadline
            }
        }
        lock.unlock()
        if key == nil { usleep(2000) }      // as the terminal's read waits a little without a key
        return key
    }

    func restore() { lock.lock(); isRestored = true; lock.unlock() }
    var restored: Bool { lock.lock(); defer { lock.unlock() }; return isRestored }
}

/// The control requests a session sent, as the camera traces them.
final class Requests: @unchecked Sendable {
    // @unchecked: `stored` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}
