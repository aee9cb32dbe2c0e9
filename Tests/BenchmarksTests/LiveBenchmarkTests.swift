import Pipeline
import SNN
import Testing
@testable import Benchmarks

@Suite("soak and latency benchmarks")
struct LiveBenchmarkTests {
    @Test("the stream clock reads hours, minutes and seconds")
    func clock() {
        #expect(clockText(3725.4) == "1:02:05")
        #expect(clockText(59.6) == "0:01:00")
    }

    @Test("a short soak on the uniform source samples memory, passes its checks and sums up")
    func soak() throws {
        var options = SoakBenchmark.Options()
        options.source = .uniform
        (options.rate, options.duration, options.every, options.warmUp) = (20_000, 2_000_000, 500_000, 0)
        options.display = nil
        var rows: [SoakRow] = []
        var titles = 0
        let summary = try SoakBenchmark.run(options) { report in
            switch report {
            case .row(let r): rows.append(r)
            case .title: titles += 1
            case .progress: break
            }
        }
        #expect(titles == 1 && rows.count >= 2 && rows.last?.running == false)
        #expect(summary.steps > 0 && summary.trace.samples.count == rows.count - 1)
        #expect(summary.lines.first?.hasPrefix("RSS growth") == true)
        #expect(summary.json.summary && summary.json.steps == summary.steps)
    }

    @Test("latency times the bins of a small network")
    func latency() throws {
        var options = LatencyBenchmark.Options()
        options.networks = [("small32", try #require(NetworkSpec.preset("small32")))]
        (options.bins, options.rate) = (3, 10_000)
        var results: [LatencyBenchmark.Result] = []
        try LatencyBenchmark.run(options) { results.append($0) }
        #expect(results.count == 1 && results[0].bins == 3 && results[0].realtimeFactor > 0)
        #expect(results[0].stepP50Milliseconds <= results[0].binP99Milliseconds)
        #expect(results[0].classMemory == "new-class" && !results[0].line.contains("class memory"))
        options.classMemory = .always
        try LatencyBenchmark.run(options) { results.append($0) }
        #expect(results[1].classMemory == "always" && results[1].line.hasSuffix("; class memory engaged at every step"))
    }
}
