import DataParallel
import Testing

@Suite("ScalingProjection")
struct ScalingProjectionTests {
    /// The paper's network: 9.2 M float32 gradients.
    let bytes = 9.2e6 * 4

    @Test("a ring allreduce sends 2(N−1)/N of the bytes and pays 2(N−1) latencies")
    func ring() {
        let p = ScalingProjection(computeSeconds: 1, bytes: bytes, bandwidth: 1e9, latency: 1e-5)
        #expect(p.communicationSeconds(ranks: 1) == 0)
        #expect(abs(p.communicationSeconds(ranks: 2) - (2 * 1e-5 + bytes / 1e9)) < 1e-12)
        #expect(abs(p.communicationSeconds(ranks: 16) - (30 * 1e-5 + 30.0 / 16 * bytes / 1e9)) < 1e-12)
        #expect(ScalingProjection.bandwidth(gigabitsPerSecond: 10) == 1.25e9)
    }

    @Test("efficiency falls with ranks and rises with bandwidth; overlap hides communication")
    func efficiency() {
        let slow = ScalingProjection(computeSeconds: 6.7, bytes: bytes,
                                     bandwidth: ScalingProjection.bandwidth(gigabitsPerSecond: 10))
        let fast = ScalingProjection(computeSeconds: 6.7, bytes: bytes,
                                     bandwidth: ScalingProjection.bandwidth(gigabitsPerSecond: 100))
        #expect(slow.efficiency(ranks: 1) == 1)
        #expect(slow.efficiency(ranks: 4) > slow.efficiency(ranks: 64))
        #expect(fast.efficiency(ranks: 16) > slow.efficiency(ranks: 16))
        #expect(slow.efficiency(ranks: 16) > 0.9)
        var hidden = slow
        hidden.overlapSeconds = slow.communicationSeconds(ranks: 64)
        #expect(hidden.efficiency(ranks: 64) == 1)
    }
}
