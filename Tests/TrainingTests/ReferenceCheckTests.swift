import Testing
import TestSupport
import Training

@Suite("Fidelity to the official PyTorch code")
struct ReferenceCheckTests {
    @Test("forward, spikes, traces, OTTT_A and BPTT gradients, OTTT_O parameters match ottt_small.safetensors",
          .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func matchesReference() throws {
        let check = try ReferenceCheck(path: SharedMaterial.reference("ottt_small.safetensors"))
        #expect(check.rtol == 1e-4 && check.atol == 1e-5)
        let results = try check.run()
        let groups = Set(results.map(\.group))
        #expect(groups == ["forward", "OTTT_A", "OTTT_O", "BPTT"])
        #expect(results.count == 32)
        for c in results {
            #expect(c.passed, """
                \(c.name): \(c.failures) elements outside rtol \(check.rtol) atol \(check.atol); \
                worst at [\(c.worst.index)]: ours \(c.worst.ours), reference \(c.worst.reference) \
                (max abs \(c.maxAbsolute), max rel \(c.maxRelative))
                """)
        }
    }
}
