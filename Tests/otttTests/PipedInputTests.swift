import DVSEvents
import EventFormats
import Foundation
import Testing
import TestSupport

/// Commands fed by a live producer on stdin: `ottt replay -` prints each bin's prediction while stdin is still open,
/// not when 64 KiB of input or 4 KiB of output have piled up (or the producer stops); a CSV's sensor is still
/// inferred from the first 65,536 events however slowly they come.
@Suite("ottt reading a pipe live")
struct PipedInputTests {
    /// CSV events 100 µs apart over 0–40 ms on a 32×32 sensor: three 10 ms bins end before the last event.
    static let csv = Data((0..<400).map { i in "\(i * 100),\(i % 32),\((i / 32) % 32),1\n" }.joined().utf8)

    /// The same events as EVT 2.0, written by our writer to a file and read back as bytes.
    static func evt2() throws -> Data {
        let path = try SharedMaterial.temporaryDirectory().path + "/piped.evt2"
        let writer = try EventFile.create(path: path, format: .evt2, sensor: SensorSize(width: 32, height: 32))
        let buffer = EventBuffer()
        for i in 0..<400 { buffer.append(t: Int64(i * 100), x: UInt16(i % 32), y: UInt16((i / 32) % 32), p: 1) }
        try writer.write(buffer)
        try writer.finish()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test("predictions come out while stdin is still open (CSV and EVT 2.0)", arguments: ["csv", "evt2"])
    func linesBeforeTheEnd(format: String) throws {
        let executable = try #require(otttExecutable, "the ottt executable is built beside the tests")
        let input = format == "csv" ? Self.csv : try Self.evt2()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["replay", "-", "--format", format, "--sensor", "32x32", "--dt", "10ms", "--json"]
        let (stdin, stdout) = (Pipe(), Pipe())
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = FileHandle.nullDevice
        try p.run()
        stdin.fileHandleForWriting.write(input)              // and stdin stays open: the producer is live
        let early = Self.lines(from: stdout.fileHandleForReading.fileDescriptor, atLeast: 2, within: 60)
        try stdin.fileHandleForWriting.close()
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(early >= 2, "\(early) prediction lines before stdin closed")
        #expect(early + rest.filter { $0 == 0x0A }.count >= 4, "every bin is printed once stdin ends")
    }

    @Test("without --sensor, a slow producer's first events all decide a CSV's sensor")
    func inferenceWaits() throws {
        let executable = try #require(otttExecutable, "the ottt executable is built beside the tests")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["info", "-", "--format", "csv"]
        let (stdin, stdout) = (Pipe(), Pipe())
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = FileHandle.nullDevice
        try p.run()
        stdin.fileHandleForWriting.write(Data("1,5,5,1\n".utf8))
        Thread.sleep(forTimeInterval: 0.5)                   // the pipe is empty for a while
        stdin.fileHandleForWriting.write(Data("2,300,250,0\n".utf8))
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text.contains("346×260 (inferred)"), "\(text)")
        #expect(text.contains("events         2 (ON 1, OFF 1)"), "\(text)")
    }

    /// Counts lines read from `fd` until `atLeast` have come or `seconds` have passed (a generous bound: a held
    /// line never comes before stdin is closed, so the wait ends at the bound only when the test fails).
    static func lines(from fd: Int32, atLeast n: Int, within seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var count = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while count < n {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { break }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(min(left, 1) * 1000)) > 0 else { continue }
            let r = read(fd, &chunk, chunk.count)
            guard r > 0 else { break }
            count += chunk[0..<r].filter { $0 == 0x0A }.count
        }
        return count
    }
}
