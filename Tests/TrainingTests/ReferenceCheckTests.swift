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

    /// Made by our own PyTorch script (Tests/Fixtures/README.md): three convolutions, all firing at 22–36 %, so
    /// every layer's gradient is exercised (the official file's second layer fires at 13 % and has two convs).
    @Test("a deeper reference written by tools/make_reference.py, every layer firing, matches on all four groups")
    func matchesDeepFiringReference() throws {
        let check = try ReferenceCheck(path: SharedMaterial.fixture("reference-deep-firing.safetensors"))
        let results = try check.run()
        #expect(Set(results.map(\.group)) == ["forward", "OTTT_A", "OTTT_O", "BPTT"])
        #expect(results.count == 43)
        for c in results {
            #expect(c.passed, "\(c.name): max abs \(c.maxAbsolute), max rel \(c.maxRelative), \(c.failures) failures")
        }
    }
}
