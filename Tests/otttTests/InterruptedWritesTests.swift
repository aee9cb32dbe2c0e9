import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

/// Issue 13 #5 and #19, with real signals to the built `ottt`: a recording killed with SIGKILL keeps all but its
/// last second and reads as it stands; a conversion stopped by SIGINT or SIGTERM leaves no `*.partial-PID` file.
@Suite("Interrupted writes: kill -9 during --record, Ctrl-C during convert", .serialized,
       .enabled(if: otttExecutable != nil))
struct InterruptedWritesTests {
    /// A CSV of `count` events `step` µs apart on a 16×16 sensor.
    static func writeEvents(_ path: String, count: Int, step: Int64) throws {
        var text = "t,x,y,p\n"
        text.reserveCapacity(count * 16)
        for i in 0..<count { text += "\(Int64(i) * step),\(i % 16),\((i / 16) % 16),\(i % 2)\n" }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// `count` events 1 ms apart on a 16×16 sensor.
    static func events(_ count: Int) -> [Event] {
        (0..<count).map { (i: Int) -> Event in
            Event(t: Int64(i) * 1000, x: UInt16(i % 16), y: UInt16((i / 16) % 16), on: i % 2 == 1)
        }
    }

    static func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(otttExecutable))
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Waits up to `seconds` for `condition`.
    static func wait(_ seconds: Double, until condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end { if condition() { return true }; usleep(20_000) }
        return condition()
    }

    @Test("kill -9 during replay --record: the file reads as it stands and holds all but the last second (#5)")
    func killedRecording() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.aedat4", recording = dir + "/rec.aedat4"
        let writer = try EventFile.create(path: input, format: .aedat4, sensor: SensorSize(width: 16, height: 16))
        try writer.write(EventBuffer(Self.events(30_000)))                  // 30 s at 1 event/ms
        try writer.finish()
        let p = try Self.start(["replay", input, "--record", recording, "--json", "--net", "2x8x8:fc2"])
        // Wait until the recorder is running (its journal exists), then give it 4 s of stream.
        #expect(Self.wait(60) { FileManager.default.fileExists(atPath: recording + ".journal") })
        let began = Date()
        usleep(4_000_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let ran = Date().timeIntervalSince(began)
        #expect(p.terminationReason == .uncaughtSignal)

        let reader = try EventFile.open(path: recording)
        let got = try reader.readAll()
        // Every event read is the input's, in order, from the first: a prefix of the stream, nothing torn.
        let n = got.count
        #expect(n > 0)
        #expect(got.events == Self.events(n))
        // At most the last second (plus a slice and start-up slack) is lost of what ran at 1 event per ms.
        #expect(Double(n) / 1000 >= ran - 1.5, "\(n) events recorded in \(ran) s")
        #expect(!FileManager.default.fileExists(atPath: recording + ".partial-\(p.processIdentifier)"))
    }

    @Test("SIGINT or SIGTERM during convert leaves no partial file (#19)", arguments: [SIGINT, SIGTERM])
    func interruptedConvert(signal: Int32) throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.csv", output = dir + "/out.aedat4"
        try Self.writeEvents(input, count: 3_000_000, step: 10)
        let p = try Self.start(["convert", input, output])
        let partial = output + ".partial-\(p.processIdentifier)"
        let caught = Self.wait(60) { FileManager.default.fileExists(atPath: partial) }
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        if caught && p.terminationReason == .uncaughtSignal {
            #expect(p.terminationStatus == signal)
        }
        #expect(caught, "convert wrote its partial file")
        #expect(!FileManager.default.fileExists(atPath: partial))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
