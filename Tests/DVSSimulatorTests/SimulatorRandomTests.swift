import Testing
@testable import DVSSimulator

@Suite("SimulatorRandom")
struct SimulatorRandomTests {
    @Test("SplitMix64 matches the reference output for seed 1234567")
    func splitMixGolden() {
        // The first outputs of Vigna's splitmix64.c seeded with 1234567.
        var state: UInt64 = 1_234_567
        let expected: [UInt64] = [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423]
        let got = (0..<3).map { _ in SimulatorRandom.splitMix64(&state) }
        #expect(got == expected)
    }

    @Test("the same seed gives the same sequence; another seed or stream does not")
    func determinism() {
        var a = SimulatorRandom(seed: 42), b = SimulatorRandom(seed: 42), c = SimulatorRandom(seed: 43)
        var d = SimulatorRandom(seed: 42, stream: 1), e = SimulatorRandom(seed: 42, stream: 2)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }
        #expect(sa == sb)
        #expect(sa != (0..<8).map { _ in c.next() })
        #expect((0..<8).map { _ in d.next() } != (0..<8).map { _ in e.next() })
    }

    @Test("uniform, normal and exponential draws have the right mean and spread")
    func distributions() {
        var r = SimulatorRandom(seed: 7)
        let n = 20_000
        let u = (0..<n).map { _ in r.uniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 0.01)
        let g = (0..<n).map { _ in r.normal() }
        let mean = g.reduce(0, +) / Double(n)
        let variance = g.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        let x = (0..<n).map { _ in r.exponential(rate: 4) }
        #expect(abs(x.reduce(0, +) / Double(n) - 0.25) < 0.01)
        let k = (0..<n).map { _ in r.int(below: 10) }
        #expect(Set(k) == Set(0..<10))
        #expect(r.permutation(10).sorted() == Array(0..<10))
    }
}
