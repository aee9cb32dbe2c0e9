import DVSEvents
import EventBinning
import EventFormats
import Foundation
import Pictures
import Testing
import TestSupport
@testable import ottt

@Suite("ottt render")
struct RenderCommandTests {
    /// A 16×12 AEDAT 4 file: an ON event at (3, 2) every ms for 100 ms from t = 7000, and one OFF event at (10, 9)
    /// at 50 ms after the first.
    static func write(_ path: String) throws {
        var events = (0..<100).map { (i: Int) -> Event in
            let t: Int64 = 7000 + Int64(i) * 1000
            return Event(t: t, x: 3, y: 2, on: true)
        }
        events.append(Event(t: 57_000, x: 10, y: 9, on: false))
        events.sort { $0.t < $1.t }
        let writer = try EventFile.create(path: path, format: .aedat4, sensor: SensorSize(width: 16, height: 12))
        try writer.write(EventBuffer(events))
        try writer.finish()
    }

    @Test("a GIF of one frame per 1/fps of stream, at the sensor's size, the pixels lit by their last event")
    func gif() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.aedat4").path, output = dir.appendingPathComponent("out.gif").path
        try Self.write(input)
        let line = try RenderCommand(arguments: Arguments([input, output, "--fps", "50", "--decay", "5ms", "--speed", "0.5"])).render()
        // 10 ms of stream per frame over 99 ms: frames end at 10, 20, …, 100 ms after the first event.
        #expect(line.contains("10 frames 16×12 at 50 fps, 10ms of stream each, decay 5ms; 101 events drawn"), "\(line)")
        let decoded = try GIFTestDecoder([UInt8](Data(contentsOf: URL(fileURLWithPath: output))))
        #expect(decoded.width == 16 && decoded.height == 12)
        #expect(decoded.frames.count == 10)
        #expect(decoded.frames.allSatisfy { $0.delay == 2 })
        #expect(decoded.loops == 0)
        let on = 2 * 16 + 3, off = 9 * 16 + 10
        for (k, frame) in decoded.frames.enumerated() {
            // The ON pixel fired 1 ms before each frame's end: bright orange; the rest black but the OFF pixel.
            #expect(Int(frame.indices[on]) == Int((Double(DecayRenderer.levels) * exp(-0.2)).rounded()), "frame \(k)")
            #expect(decoded.palette[Int(frame.indices[on])][0] > 150)
            #expect(frame.indices.enumerated().allSatisfy { $0.offset == on || $0.offset == off || $0.element == 0 })
        }
        // The OFF pixel (50 ms) shows blue from frame 5 on, fading.
        #expect(decoded.frames[4].indices[off] == 0)
        let offShades = decoded.frames[5...].map { Int($0.indices[off]) }
        #expect(offShades.first.map { $0 > DecayRenderer.levels } == true)
        #expect(zip(offShades, offShades.dropFirst()).allSatisfy { $0 >= $1 || $1 == 0 })
    }

    @Test("PNG video frames named by number and time range, cropped to the area; an earlier run's frames go")
    func pngFrames() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.aedat4").path, frames = dir.appendingPathComponent("video").path
        try Self.write(input)
        try FileManager.default.createDirectory(atPath: frames, withIntermediateDirectories: true)
        for old in ["frame_000099_1us-2us.png", "frame_007.png", "keep.txt"] {
            try "old".write(toFile: frames + "/" + old, atomically: true, encoding: .utf8)
        }
        let line = try RenderCommand(arguments: Arguments([input, "--png", frames, "--fps", "25", "--speed", "0.5",
                                                           "--from", "20ms", "--until", "60ms", "--area", "2,1,4,3", "--zoom", "2"])).render()
        #expect(line.contains("2 frames 8×6"), "\(line)")
        let names = try FileManager.default.contentsOfDirectory(atPath: frames).sorted()
        #expect(names == ["frame_000000_0us-20000us.png", "frame_000001_20000us-40000us.png", "keep.txt"])
        let picture = try PictureFile.read(path: frames + "/" + names[0])
        #expect(picture.width == 8 && picture.height == 6)
    }

    @Test("usage errors: no output, a non-GIF output, frame rates GIF cannot show, an area off the sensor")
    func refused() throws {
        for words in [["in.aedat4"], ["in.aedat4", "out.png"], ["in.aedat4", "o.gif", "--fps", "60"],
                      ["in.aedat4", "o.gif", "--decay", "5"], ["in.aedat4", "o.gif", "--speed", "0"],
                      ["in.aedat4", "o.gif", "--speed", "0.00001"]] {
            #expect(throws: UsageError.self, "\(words)") { try RenderCommand(arguments: Arguments(words)) }
        }
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.aedat4").path
        try Self.write(input)
        let command = try RenderCommand(arguments: Arguments([input, dir.appendingPathComponent("o.gif").path, "--area", "10,10,8,8"]))
        #expect(throws: UsageError.self) { try command.render() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.aedat4"])
    }
}
