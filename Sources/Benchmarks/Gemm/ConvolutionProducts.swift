import SNN
import Tensors

/// One convolution's matrix products in a training step, by im2col round, as its kernels make them
/// (`Convolution.products`).
public struct ConvolutionProducts: Sendable {
    /// `count` rounds of `samples` samples each, and the products of one such round.
    public struct Round: Sendable {
        public let count: Int, samples: Int
        /// nil where the layer convolves directly (a first layer of few input taps); the sparse path replaces it
        /// at run time for inputs sparser than `Convolution.sparseDensityLimit`.
        public let forward: MatrixProduct?
        public let weightGradient: MatrixProduct
        /// nil for the first layer, which makes no input gradient.
        public let inputGradient: MatrixProduct?
    }

    /// Rounds of whole chunks, then one of the rest of the batch when the chunk does not divide it.
    public let rounds: [Round]

    /// The products of `convolution` at batch size `batch`: one round per chunk of the batch, full chunks first.
    public init(_ convolution: Convolution, isFirst: Bool, batch: Int) {
        let chunk = convolution.chunk(batch: batch)
        let sizes = [(batch / chunk, chunk), (batch % chunk > 0 ? 1 : 0, batch % chunk)].filter { $0.0 > 0 }
        rounds = sizes.map { count, samples in
            let p = convolution.products(samples: samples)
            return Round(count: count, samples: samples, forward: convolution.supportsDirect ? nil : p.forward,
                         weightGradient: p.weightGradient, inputGradient: isFirst ? nil : p.inputGradient)
        }
    }

    /// The products of one training step of `network` at batch size `batch`, per convolution.
    public static func of(_ network: Network, batch: Int) -> [ConvolutionProducts] {
        network.convolutions.map { ConvolutionProducts($0.convolution, isFirst: $0.isFirst, batch: batch) }
    }
}
