import SNN
import Tensors
import Testing
@testable import Benchmarks

@Suite("the products of a training step")
struct ConvolutionProductsTests {
    @Test("the products of a step per convolution: the first layer convolves directly and needs no input gradient")
    func convolutionProducts() throws {
        let net = Network(spec: NetworkSpec.preset("small32")!, seed: 1)
        let products = ConvolutionProducts.of(net, batch: 16)
        #expect(products.count == 2)
        let first = try #require(products[0].rounds.first), second = try #require(products[1].rounds.first)
        #expect(first.forward == nil && first.inputGradient == nil)
        #expect(first.weightGradient.m == 32 && first.weightGradient.n == 2 * 9)
        // conv2: 32 → 64 channels on 16×16, all 16 samples in one im2col round.
        #expect(products[1].rounds.count == 1 && second.count == 1 && second.samples == 16)
        #expect(second.forward == MatrixProduct(.transposed, .none, m: 64, n: 16 * 256, k: 32 * 9))
        #expect(second.inputGradient == MatrixProduct(.none, .none, m: 32 * 9, n: 16 * 256, k: 64))
        // The products' multiply-adds are the network's (less the classifier) at batch 1.
        let one = ConvolutionProducts.of(net, batch: 1).map { $0.rounds[0] }
        let forward = one.reduce(0) { $0 + ($1.forward ?? $1.weightGradient).multiplyAdds }
        #expect(forward == net.multiplyAddsPerStep - 64 * 8 * 8 * 10)
    }

    @Test("a batch that the im2col chunk does not divide ends in a smaller round: the rounds cover the batch once")
    func convolutionRounds() {
        let net = Network(spec: NetworkSpec.preset("paper-cifar10dvs")!, seed: 1)
        for layer in ConvolutionProducts.of(net, batch: 16) {
            #expect(layer.rounds.reduce(0) { $0 + $1.count * $1.samples } == 16)
            #expect(layer.rounds.count <= 2 && layer.rounds.dropFirst().allSatisfy { $0.count == 1 })
            for round in layer.rounds { #expect(round.weightGradient.k % round.samples == 0) }
        }
        // Some layer of the VGG does need a remainder round at batch 16 (chunks of 3, 6 or 12 samples).
        #expect(ConvolutionProducts.of(net, batch: 16).contains { $0.rounds.count == 2 })
    }
}
