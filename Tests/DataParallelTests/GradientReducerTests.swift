import DataParallel
import MessagePassing
import SNN
import Testing

@Suite("GradientReducer (single process)")
struct GradientReducerTests {
    let spec = NetworkSpec(input: [2, 8, 8], layers: [
        .conv(channels: 4), .averagePool2, .conv(channels: 8), .globalAveragePool, .linear(outputs: 3),
    ])

    @Test("buckets run from the last parameter backwards, each within the size unless one parameter exceeds it")
    func buckets() {
        let net = Network(spec: spec)
        let reducer = GradientReducer(parameters: net.parameters, communicator: .single, bucketBytes: 256)
        let flat = reducer.buckets.flatMap { $0 }
        #expect(flat == Array(net.parameters.indices.reversed()))
        for bucket in reducer.buckets where bucket.count > 1 {
            #expect(bucket.reduce(0) { $0 + net.parameters[$1].gradient.count * 4 } <= 256, "\(bucket)")
        }
        let whole = GradientReducer(parameters: net.parameters, communicator: .single, bucketBytes: 1 << 30)
        #expect(whole.buckets.count == 1)
    }

    @Test("on one rank holding the whole batch the gradients are unchanged; a share of it scales them",
          arguments: [(5, 5, Float(1)), (2, 8, Float(0.25)), (0, 3, Float(0))])
    func scaling(local: Int, global: Int, factor: Float) throws {
        let net = Network(spec: spec)
        for (k, p) in net.parameters.enumerated() {
            for i in 0..<p.gradient.count { p.gradient.data[i] = Float(k + 1) + Float(i) / 64 }
        }
        let before = net.parameters.map(\.gradient.values)
        let reducer = GradientReducer(parameters: net.parameters, communicator: .single, bucketBytes: 200)
        reducer.begin(localBatch: local, globalBatch: global)
        try reducer.gradientsReady(Array(net.parameters.suffix(2)))
        try reducer.finish()
        for (p, old) in zip(net.parameters, before) {
            #expect(p.gradient.values == old.map { $0 * factor }, "\(p.name)")
        }
    }
}
