import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("ottt convert")
struct ConvertCommandTests {
    func events(_ path: String) throws -> [Event] {
        try EventFile.open(path: path).readAll().events
    }

    @Test("AEDAT 2.0 → AEDAT 4 (each compression) → AEDAT 2.0 keeps every event", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason),
          arguments: ["none", "lz4", "zstd-high"])
    func chain(compression: String) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = SharedMaterial.recording("dvs128_alex_walking_again.aedat")
        let four = dir.appendingPathComponent("a.aedat4").path
        let two = dir.appendingPathComponent("b.aedat").path
        let quiet = ProgressLine("test", enabled: false)
        let first = try ConvertCommand(arguments: Arguments([source, four, "--compression", compression]))
        #expect(try first.convert(progress: quiet) == 19_182)
        try ConvertCommand(arguments: Arguments([four, two])).convert(progress: quiet)
        let original = try events(source)
        #expect(try events(four) == original)
        #expect(try events(two) == original)
        let reader = try #require(try EventFile.open(path: four) as? AEDAT4Reader)
        let expected = WriteOptions.Compression.allCases.firstIndex { $0.rawValue == compression }!
        #expect(reader.compression.rawValue == Int32(expected))
    }

    @Test("the output format comes from --to or the extension; unknown ones are usage errors")
    func outputFormat() throws {
        #expect(try ConvertCommand(arguments: Arguments(["in.aedat", "out.aedat4"])).outputFormat == .aedat4)
        #expect(try ConvertCommand(arguments: Arguments(["in.aedat", "out.bin", "--to", "aedat2"])).outputFormat == .aedat2)
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.aedat", "out.xyz"])) }
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.aedat", "out.aedat4", "--compression", "gzip"])) }
        #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.aedat"])) }
    }

    @Test("a file that cannot be written (a DVXplorer sensor to AEDAT 2.0 DVS128) fails and leaves no output", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func failureLeavesNothing() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.aedat").path
        let command = try ConvertCommand(arguments: Arguments([SharedMaterial.recording("tonic_sample.aedat4"), out]))
        #expect(throws: EventFormatError.self) { try command.convert(progress: ProgressLine("test", enabled: false)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}

/// Issue 20: events through pipes, as a shell user types them (`<`, `|`), run on the built `ottt`.
@Suite("ottt convert through pipes", .serialized, .enabled(if: otttExecutable != nil))
struct ConvertPipeTests {
    /// Runs `line` in bash with `ottt` standing for the built executable and `pipefail` set, in `dir`.
    static func shell(_ line: String, in dir: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "set -o pipefail; ottt() { '\(try #require(otttExecutable))' \"$@\"; }; \(line) 2> err.txt"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let err = (try? String(contentsOfFile: dir + "/err.txt", encoding: .utf8)) ?? ""
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), err)
    }

    /// `count` events 10 µs apart on a 300×200 extent, as CSV text without a header.
    static func csv(_ count: Int) -> String {
        (0..<count).map { "\($0 * 10),\($0 % 300),\($0 % 200),\($0 % 2)\n" }.joined()
    }

    @Test("`ottt convert - out.aedat4 < file.csv`: every event, the sensor inferred from the first ones")
    func fromStdin() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.csv(1000).write(toFile: dir + "/in.csv", atomically: false, encoding: .utf8)
        let run = try Self.shell("ottt convert - out.aedat4 < in.csv", in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let reader = try EventFile.open(path: dir + "/out.aedat4")
        #expect(reader.info.sensor == .davis346)
        #expect(try reader.readAll().events == EventFile.open(path: dir + "/in.csv").readAll().events)
        // With --format and --sensor, and the stream in EVT 2.0 instead of text.
        let evt = try Self.shell("ottt convert out.aedat4 - --to evt2 | ottt convert - back.csv --format evt2 --sensor 400x300",
                                 in: dir)
        #expect(evt.status == 0, "\(evt.stderr)")
        #expect(try EventFile.open(path: dir + "/back.csv").readAll().count == 1000)
        // `frames -` names the stream as the errors do: stdin.
        let frames = try Self.shell("ottt frames - --bins 2 --out frames < in.csv", in: dir)
        #expect(frames.status == 0, "\(frames.stderr)")
        #expect((frames.stdout + frames.stderr).contains("stdin: CSV"), "\(frames.stdout)\(frames.stderr)")
    }

    @Test("`ottt convert in.aedat4 - | head`: CSV on stdout, and a reader that stops early ends it quietly (exit 0)",
          arguments: ["", " --to csv"])
    func toClosedStdout(flag: String) throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = EventBuffer()
        for i in 0..<100_000 { events.append(t: Int64(i), x: UInt16(i % 128), y: 3, p: i % 2 == 0 ? 1 : 0) }
        let writer = try EventFile.create(path: dir + "/in.aedat4", format: .aedat4, sensor: .dvs128)
        try writer.write(events)
        try writer.finish()
        let run = try Self.shell("ottt convert in.aedat4 -\(flag) | head -3", in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "t,x,y,p\n0,0,3,1\n1,1,3,0\n")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    @Test("bad bytes on stdin: one line naming stdin, the byte offset and what was expected; exit 1",
          arguments: [("printf '1,2,3,1\\n4,5,x,0\\n'", "bad record at byte 12 of stdin: expected an integer in column 3 of line 2"),
                      ("printf '\\001\\002\\377'", "unknown format at byte 0 of stdin: expected an AEDAT, EVT, DAT, N-MNIST or CSV file"),
                      ("(printf '1,2,3,1\\n'; head -c 100000 /dev/zero | tr '\\0' 7)",
                       "bad record at byte 8 of stdin: expected a line shorter than 4096 bytes"),
                      ("cat in.aedat4", "needs a file to seek in")])
    func badStdin(producer: String, says: String) throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try EventFile.create(path: dir + "/in.aedat4", format: .aedat4, sensor: .dvs128)
        try writer.write(EventBuffer([Event(t: 1, x: 1, y: 1, on: true)]))
        try writer.finish()
        let run = try Self.shell("\(producer) | ottt convert - out.aedat4", in: dir)
        #expect(run.status == 1)
        #expect(run.stderr.contains(says), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.aedat4"))
    }

    @Test("AEDAT 4.0 to stdout is a usage error naming the formats a pipe carries")
    func aedat4ToStdout() throws {
        let error = #expect(throws: UsageError.self) { try ConvertCommand(arguments: Arguments(["in.csv", "-", "--to", "aedat4"])) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("evt2"))
        #expect(try ConvertCommand(arguments: Arguments(["in.aedat4", "-"])).outputFormat == .csv)
    }
}
