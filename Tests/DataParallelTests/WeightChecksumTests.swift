import DataParallel
import SNN
import Testing

@Suite("WeightChecksum")
struct WeightChecksumTests {
    let spec = NetworkSpec(input: [2, 8, 8], layers: [.conv(channels: 4), .globalAveragePool, .linear(outputs: 3)])

    @Test("equal for equal weights, different after a one-ulp change or a zero's sign")
    func sensitivity() {
        let a = Network(spec: spec, seed: 1), b = Network(spec: spec, seed: 1)
        #expect(WeightChecksum(a.parameters) == WeightChecksum(b.parameters))
        #expect(WeightChecksum(a.parameters) != WeightChecksum(Network(spec: spec, seed: 2).parameters))
        let w = b.parameters[0].value
        w.data[5] = w.data[5].nextUp
        #expect(WeightChecksum(a.parameters).hash != WeightChecksum(b.parameters).hash)
        w.data[5] = w.data[5].nextDown
        b.parameters[1].value.data[0] = -0.0   // a bias, +0 initially: equal as floats, not as bits
        #expect(WeightChecksum(a.parameters).hash != WeightChecksum(b.parameters).hash)
    }

    @Test("the structure checksum sees names and shapes, not values")
    func structure() {
        let a = Network(spec: spec, seed: 1)
        #expect(WeightChecksum.structure(of: a.parameters) == WeightChecksum.structure(of: Network(spec: spec, seed: 9).parameters))
        var wider = spec
        wider.layers[0] = .conv(channels: 5)
        #expect(WeightChecksum.structure(of: a.parameters) != WeightChecksum.structure(of: Network(spec: wider).parameters))
    }

    @Test("the sum is the sum of the values")
    func sum() {
        let a = Network(spec: spec, seed: 3)
        let expected = a.parameters.reduce(0.0) { s, p in p.value.values.reduce(s) { $0 + Double($1) } }
        #expect(WeightChecksum(a.parameters).sum == expected)
    }
}
