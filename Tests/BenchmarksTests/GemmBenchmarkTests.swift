import Foundation
import SNN
import Tensors
import Testing
@testable import Benchmarks

@Suite("gemm benchmark")
struct GemmBenchmarkTests {
    @Test("times a small product within reason")
    func time() {
        let seconds = GemmBenchmark.time(MatrixProduct(.none, .none, m: 32, n: 32, k: 32), runs: 1)
        #expect(seconds > 0 && seconds < 0.2)
    }

    @Test("a product's figure reads back from its JSON line, as the train suite reads the ceiling")
    func roundTrip() throws {
        let p = GemmBenchmark.Product(label: "square", product: MatrixProduct(.none, .none, m: 8, n: 4, k: 2),
                                      seconds: 1e-6, threads: 2)
        #expect(abs(p.gflops - 2 * 64 / 1e-6 / 1e9) < 1e-9)
        let back = try JSONDecoder().decode(GemmBenchmark.Product.self, from: JSONEncoder().encode(p))
        #expect(back == p)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(p)) as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["product", "m", "n", "k", "seconds", "gflops", "threads"]))
    }
}
