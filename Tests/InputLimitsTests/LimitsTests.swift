import Testing
import Glibc
import InputLimits

@Suite("Limits")
struct LimitsTests {
    @Test("a product that overflows 64 bits is nil, not a trap")
    func productOverflow() {
        #expect(Limits.product([1 << 32, 1 << 32]) == nil)
        #expect(Limits.product([3, 5, 7]) == 105)
        #expect(Limits.product([4, -1]) == nil)
    }

    @Test("a sensor over the limit names the limit and the flag that raises it")
    func sensorError() throws {
        let limits = Limits()
        #expect(throws: Never.self) { try limits.checkSensor(width: 1280, height: 720, source: "x") }
        let error = #expect(throws: LimitError.self) { try limits.checkSensor(width: 65535, height: 65535, source: "x.aedat4") }
        #expect(error?.kind == .sensorPixels)
        #expect(error?.description.contains("--max-sensor") == true)
        #expect(error?.description.contains("65535×65535") == true)
    }

    @Test("frames are measured in bytes against the frame budget")
    func frameBudget() {
        var limits = Limits()
        limits.frameBytes = 1000
        #expect(throws: LimitError.self) { try limits.checkFrames(count: 100_000, height: 260, width: 346, what: "w") }
        #expect(throws: Never.self) { try limits.checkFrames(count: 1, height: 10, width: 10, what: "w") }
    }

    @Test("a raised limit is in force process-wide")
    func current() {
        let saved = Limits.current
        defer { Limits.current = saved }
        Limits.current[.lineBytes] = 7
        #expect(Limits.current.lineBytes == 7)
    }

    @Test("a directory, a FIFO and a missing path are named, a regular file passes")
    func fileKinds() throws {
        let dir = "/tmp/ottt-limits-\(getpid())"
        mkdir(dir, 0o700)
        defer { _ = unlink("\(dir)/fifo"); _ = unlink("\(dir)/file"); rmdir(dir) }
        #expect(RegularFile.problem(with: dir)?.contains("directory") == true)
        #expect(mkfifo("\(dir)/fifo", 0o600) == 0)
        #expect(RegularFile.problem(with: "\(dir)/fifo")?.contains("FIFO") == true)
        #expect(RegularFile.problem(with: "\(dir)/none") == "does not exist")
        let fd = open("\(dir)/file", O_CREAT | O_WRONLY, 0o600)
        close(fd)
        #expect(RegularFile.problem(with: "\(dir)/file") == nil)
        #expect(RegularFile.problem(with: "/dev/zero")?.contains("device") == true)
    }
}
