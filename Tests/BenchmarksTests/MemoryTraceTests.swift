import Testing
@testable import Benchmarks

@Suite("Resident memory and its growth")
struct MemoryTraceTests {
    static let status = """
    Name:\tottt
    Umask:\t0022
    State:\tR (running)
    VmPeak:\t  812344 kB
    VmSize:\t  812340 kB
    VmHWM:\t   48212 kB
    VmRSS:\t   47100 kB
    RssAnon:\t   30000 kB
    Threads:\t3
    """

    @Test("VmRSS and VmHWM are read from a status file, in bytes")
    func parses() throws {
        let m = try #require(ResidentMemory(status: MemoryTraceTests.status))
        #expect(m == ResidentMemory(resident: 47_100 * 1024, peak: 48_212 * 1024, anonymous: 30_000 * 1024))
    }

    @Test("a kernel without RssAnon still gives the resident set and its peak")
    func withoutAnonymous() throws {
        let m = try #require(ResidentMemory(status: "VmHWM:\t 200 kB\nVmRSS:\t 100 kB\n"))
        #expect(m == ResidentMemory(resident: 100 * 1024, peak: 200 * 1024, anonymous: nil))
    }

    @Test("a status without both lines, or with another unit, gives nil", arguments: [
        "VmRSS:\t 100 kB\n",                                   // no VmHWM
        "VmHWM:\t 100 kB\nVmRSS:\t 100 MB\n",                  // not kB
        "VmHWM:\t 100 kB\nVmRSS:\t lots kB\n",
        "",
    ])
    func refuses(text: String) {
        #expect(ResidentMemory(status: text) == nil)
    }

    @Test("this process has a resident set no larger than its peak")
    func current() throws {
        let m = try #require(ResidentMemory.current())
        #expect(m.resident > 0 && m.resident <= m.peak)
        #expect(m.anonymous.map { $0 > 0 && $0 <= m.resident } ?? true)
    }

    private func sample(_ stream: Double, mib: Int) -> MemoryTrace.Sample {
        .init(stream: stream, wall: stream / 10,
              memory: ResidentMemory(resident: mib << 20, peak: (mib + 1) << 20, anonymous: (mib / 2) << 20))
    }

    @Test("growth runs from the first sample at or after the warm-up to the last")
    func growth() throws {
        var trace = MemoryTrace(warmUp: 60)
        trace.add(sample(30, mib: 10))                         // warming up: not the baseline
        #expect(trace.growth == nil)
        trace.add(sample(60, mib: 40))
        trace.add(sample(1860, mib: 41))
        trace.add(sample(3660, mib: 42))
        let g = try #require(trace.growth)
        #expect(g.from.stream == 60 && g.to.stream == 3660)
        #expect(g.bytes == 2 << 20)
        #expect(g.anonymousBytes == 1 << 20)
        #expect(abs(g.percent - 5) < 1e-9)
        #expect(abs(g.bytesPerStreamHour - Double(2 << 20)) < 1e-6)
    }

    @Test("a single sample after the warm-up is no growth, not a division by zero")
    func single() throws {
        var trace = MemoryTrace(warmUp: 0)
        trace.add(sample(5, mib: 40))
        let g = try #require(trace.growth)
        #expect(g.bytes == 0 && g.percent == 0 && g.bytesPerStreamHour == 0)
    }

    @Test("a shrinking resident set is negative growth")
    func shrinks() throws {
        var trace = MemoryTrace(warmUp: 0)
        trace.add(sample(0, mib: 50))
        trace.add(sample(100, mib: 45))
        #expect(try #require(trace.growth).percent == -10)
    }

    @Test("the largest sample is the first of the equal largest; none before any sample")
    func largest() throws {
        var trace = MemoryTrace(warmUp: 0)
        #expect(trace.largest == nil)
        trace.add(sample(0, mib: 40))
        trace.add(sample(1, mib: 44))
        trace.add(sample(2, mib: 44))
        trace.add(sample(3, mib: 41))
        #expect(try #require(trace.largest).stream == 1)
    }
}
