internal import COpenBLAS

/// Whether a matrix operand of `gemm` is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
}

/// OpenBLAS, wrapped once: every matrix product in the engine goes through `gemm`.
public enum BLAS {
    /// C[M×N] = α · op(A)[M×K] · op(B)[K×N] + β · C, all row-major, with leading dimensions `lda`, `ldb`, `ldc`.
    @inline(__always)
    public static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                            _ b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm with negative size m \(m) n \(n) k \(k)")
        if m == 0 || n == 0 { return }
        useThreads(m * n * k < singleThreadBelow ? 1 : threading.maximum)
        cblas_sgemm(CblasRowMajor, transA == .none ? CblasNoTrans : CblasTrans,
                    transB == .none ? CblasNoTrans : CblasTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    /// Products of fewer multiply-adds than this (m·n·k; 2²⁰ ≈ 20 µs on one core) run on one OpenBLAS thread:
    /// handing half of such a product to the other core costs about as much as it saves, and on a busy machine
    /// the waiting thread's spinning costs more.
    public static let singleThreadBelow = 1 << 20

    /// The number of threads OpenBLAS uses for a large product.
    public static var threads: Int { threading.maximum }

    /// Sets the number of OpenBLAS threads for large products (the machine's cores by default).
    public static func setThreads(_ n: Int) {
        precondition(n > 0, "\(n) BLAS threads")
        threading.maximum = n
        useThreads(n)
    }

    /// The threads for large products and the number OpenBLAS is set to now, read together from OpenBLAS before
    /// the first product (two separately initialised statics would depend on which is touched first). Only the
    /// thread that runs the network calls BLAS.
    nonisolated(unsafe) private static var threading: (maximum: Int, current: Int) = {
        let n = Int(openblas_get_num_threads())
        return (n, n)
    }()

    @inline(__always)
    private static func useThreads(_ n: Int) {
        if n != threading.current {
            openblas_set_num_threads(Int32(n))
            threading.current = n
        }
    }

    /// The kernel family OpenBLAS chose for this CPU (for example "Haswell" or "SkylakeX").
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
}
