import Foundation
import Testing
import DVSEvents
import EventFormats
import TestSupport
@testable import ottt

@Suite("ottt frames")
struct FramesCommandTests {
    @Test("bins an AEDAT 2.0 file written by our writer into PNGs and summarises it")
    func synthetic() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.aedat").path
        let events = EventBuffer()
        for i in 0..<1000 { events.append(t: Int64(i * 10), x: UInt16(i % 128), y: UInt16((i / 128) % 128), p: UInt8(i & 1)) }
        let writer = try EventFile.create(path: file, format: .aedat2, sensor: .dvs128)
        try writer.write(events)
        try writer.finish()
        let out = dir.appendingPathComponent("frames").path
        let line = try FramesCommand(arguments: Arguments([file, "--bins", "4", "--size", "48", "--mode", "paper", "--out", out])).make()
        #expect(line.contains("1000 events, 1000 binned (ON 500, OFF 500)"))
        #expect(line.contains("4 frames 2×48×48 by event count, paper resize; wrote 4 PNGs"))
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        // Each name carries the frame's time range after the first event: 250 events of 10 µs each.
        #expect(names == ["frame_000_0us-2491us.png", "frame_001_2500us-4991us.png", "frame_002_5000us-7491us.png",
                          "frame_003_7500us-9991us.png"])
        let windows = try FramesCommand(arguments: Arguments([file, "--window-us", "2500", "--out", out])).make()
        #expect(windows.contains("4 frames 2×128×128 by 2500us windows"))
        let windowNames = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(windowNames == ["frame_000_0us-2500us.png", "frame_001_2500us-5000us.png", "frame_002_5000us-7500us.png",
                                "frame_003_7500us-10000us.png"])
    }

    /// A 16×16 AEDAT 4 file of 1000 events 10 µs apart walking the pixels, in `dir`; returns its path.
    static func writeSmall(in dir: URL) throws -> String {
        let file = dir.appendingPathComponent("s.aedat4").path
        let events = EventBuffer()
        for i in 0..<1000 { events.append(t: Int64(i * 10), x: UInt16(i % 16), y: UInt16((i / 16) % 16), p: UInt8(i & 1)) }
        let writer = try EventFile.create(path: file, format: .aedat4, sensor: SensorSize(width: 16, height: 16))
        try writer.write(events)
        try writer.finish()
        return file
    }

    @Test("a second run removes the frame PNGs of an earlier one, and no other file")
    func staleFrames() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.writeSmall(in: dir)
        let out = dir.appendingPathComponent("frames").path
        _ = try FramesCommand(arguments: Arguments([file, "--steps", "12", "--out", out])).make()
        // An earlier version's names (no time range) go too; look-alikes stay.
        for old in ["frame_040.png", "frame_041.png"] { try "old".write(toFile: out + "/" + old, atomically: true, encoding: .utf8) }
        for keep in ["notes.txt", "frame_final.png", "frame_001.png.bak", "frame_001_1us-2.png"] {
            try "mine".write(toFile: out + "/" + keep, atomically: true, encoding: .utf8)
        }
        let line = try FramesCommand(arguments: Arguments([file, "--steps", "3", "--out", out])).make()
        #expect(line.contains("removed 14 frame PNGs of an earlier run"), "\(line)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["frame_000_0us-3321us.png", "frame_001.png.bak", "frame_001_1us-2.png", "frame_001_3330us-6651us.png",
                          "frame_002_6660us-9991us.png", "frame_final.png", "notes.txt"])
    }

    @Test("--from, --until and --area crop before binning: frames of the area's size over the kept time")
    func cropped() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.writeSmall(in: dir)
        let out = dir.appendingPathComponent("frames").path
        let line = try FramesCommand(arguments: Arguments([file, "--window", "1ms", "--from", "2ms", "--until", "4ms",
                                                          "--area", "0,0,8,16", "--out", out])).make()
        // 200 events in [2 ms, 4 ms) (events 200 to 399); those in the left 8 columns: x = i mod 16 < 8, 12 runs of 8.
        #expect(line.contains("96 binned"), "\(line)")
        #expect(line.contains("2 frames 2×16×8"), "\(line)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["frame_000_0us-1000us.png", "frame_001_1000us-2000us.png"])
        #expect(throws: UsageError.self) {
            try FramesCommand(arguments: Arguments([file, "--steps", "2", "--area", "10,0,8,8", "--out", out])).make()
        }
    }

    @Test("the paper preset on a real DVS128 recording", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func recording() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = SharedMaterial.recording("dvs128_alex_walking_again.aedat")
        let line = try FramesCommand(arguments: Arguments([path, "--bins", "10", "--by", "time", "--tail", "tonic",
                                                          "--out", dir.path])).make()
        #expect(line.contains("19182 events, 19182 binned (ON 7102, OFF 12080, 1 outside the frames, 0 off the sensor)"))
        let filtered = try FramesCommand(arguments: Arguments([path, "--bins", "4", "--denoise-us", "2000",
                                                              "--refractory-us", "1000", "--out", dir.path])).make()
        let removed = filtered.components(separatedBy: " removed by filters")[0].components(separatedBy: "events, ").last
        #expect(filtered.contains("19182 events, ") && (Int(removed ?? "") ?? 0) > 0, "\(filtered)")
    }

    @Test("usage errors: no slicing, both slicings, bad values, no --out")
    func usage() {
        for args in [["f", "--out", "d"], ["f", "--bins", "3", "--window-us", "5", "--out", "d"], ["f", "--bins", "0", "--out", "d"],
                     ["f", "--bins", "3", "--mode", "fancy", "--out", "d"], ["f", "--bins", "3"], ["--bins", "3", "--out", "d"],
                     ["f", "--bins", "3", "--by", "size", "--out", "d"], ["f", "--bins", "3", "--denoise-us", "0", "--out", "d"]] {
            #expect(throws: UsageError.self, "\(args)") { try FramesCommand(arguments: Arguments(args)) }
        }
    }

    @Test("an unreadable file is a one-line failure, not a crash")
    func missingFile() {
        #expect(throws: (any Error).self) {
            try FramesCommand(arguments: Arguments(["/nonexistent.aedat", "--bins", "2", "--out", "/tmp/x"])).make()
        }
    }
}
