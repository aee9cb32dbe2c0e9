internal import COpenBLAS

/// Whether a matrix operand of `gemm` is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
}

/// OpenBLAS, wrapped once: every matrix product in the engine goes through `gemm`.
///
/// One pool of threads only: OpenBLAS is kept at one thread, and a large product is split into column (or row)
/// blocks that run as parts of `Parallel.forRanges` on the engine's own threads, each block one single-threaded OpenBLAS
/// call. OpenBLAS's own workers would otherwise spin (`sched_yield`) against the engine's threads between products.
public enum BLAS {
    /// C[M×N] = α · op(A)[M×K] · op(B)[K×N] + β · C, all row-major, with leading dimensions `lda`, `ldb`, `ldc`.
    public static func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                            alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                            _ b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm with negative size m \(m) n \(n) k \(k)")
        if m == 0 || n == 0 { return }
        _ = useOneOpenBLASThread
        // A row or a column of C: a matrix–vector product (OpenBLAS's gemm would pack the whole matrix first).
        if (m == 1 || n == 1) && k > 0 {
            return vectorProduct(transA, transB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb,
                                 beta: beta, c, ldc: ldc)
        }
        // A sum of one outer product onto C (the classifier's weight gradient at batch 1): `sger`.
        if k == 1 && beta == 1 {
            return outerProduct(transA, transB, m: m, n: n, alpha: alpha, a, lda: lda, b, ldb: ldb, c, ldc: ldc)
        }
        let parts = m * n * k < singleThreadBelow ? 1 : Parallel.width
        if parts == 1 {
            return product(transA, transB, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb,
                           beta: beta, c, ldc: ldc)
        }
        // Split the larger of M and N into blocks of whole 16-float cache lines: each part packs only its block of
        // one operand (and all of the other, which is the smaller one) and writes its own block of C.
        let splitColumns = n >= m
        struct Blocks: RangeLoop {
            let splitColumns: Bool, transA: Transpose, transB: Transpose
            let m: Int, n: Int, k: Int, alpha: Float, beta: Float
            let a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int

            func callAsFunction(_ block: Range<Int>) {
                let lo = block.lowerBound, hi = block.upperBound
                if splitColumns {
                    // op(B)[:, lo..<hi]: columns of B, or rows of a transposed B.
                    let bBlock = transB == .none ? b + lo : b + lo * ldb
                    BLAS.product(transA, transB, m: m, n: hi - lo, k: k, alpha: alpha, a, lda: lda, bBlock, ldb: ldb,
                            beta: beta, c + lo, ldc: ldc)
                } else {
                    // op(A)[lo..<hi, :]: rows of A, or columns of a transposed A.
                    let aBlock = transA == .none ? a + lo * lda : a + lo
                    BLAS.product(transA, transB, m: hi - lo, n: n, k: k, alpha: alpha, aBlock, lda: lda, b, ldb: ldb,
                            beta: beta, c + lo * ldc, ldc: ldc)
                }
            }
        }
        Parallel.forRanges(splitColumns ? n : m, parts: parts, alignment: 16,
                           Blocks(splitColumns: splitColumns, transA: transA, transB: transB, m: m, n: n, k: k,
                                  alpha: alpha, beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc))
    }

    /// Products of fewer multiply-adds than this (m·n·k; 2²⁰ ≈ 20 µs on one core) run on the calling thread:
    /// handing half of such a product to the other core costs about as much as it saves.
    public static let singleThreadBelow = 1 << 20

    /// OpenBLAS at one thread, set once before the first product.
    private static let useOneOpenBLASThread: Void = openblas_set_num_threads(1)

    private static func cblasTranspose(_ t: Transpose) -> CBLAS_TRANSPOSE { t == .none ? CblasNoTrans : CblasTrans }

    @inline(__always)
    private static func product(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                                alpha: Float, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                                beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                    beta, c, blasint(ldc))
    }

    /// `gemm` when C is one row (M = 1) or one column (N = 1), as `sgemv`:
    ///
    ///     M = 1:  cᵀ[N] = α · op(B)ᵀ[N×K] · a[K] + β · cᵀ     a = row 0 of op(A)
    ///     N = 1:  c[M]  = α · op(A)[M×K]  · b[K] + β · c      b = column 0 of op(B), c strided by ldc
    private static func vectorProduct(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                                      alpha: Float, _ a: UnsafePointer<Float>, lda: Int,
                                      _ b: UnsafePointer<Float>, ldb: Int,
                                      beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 1 {
            // Stored B is [K×N] (op = none: y = Bᵀa) or [N×K] (transposed: y = B a).
            let (rows, columns) = transB == .none ? (k, n) : (n, k)
            cblas_sgemv(CblasRowMajor, transB == .none ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns),
                        alpha, b, blasint(ldb), a, blasint(transA == .none ? 1 : lda), beta, c, 1)
        } else {
            // Stored A is [M×K] (op = none: y = A b) or [K×M] (transposed: y = Aᵀ b).
            let (rows, columns) = transA == .none ? (m, k) : (k, m)
            cblas_sgemv(CblasRowMajor, cblasTranspose(transA), blasint(rows), blasint(columns),
                        alpha, a, blasint(lda), b, blasint(transB == .none ? ldb : 1), beta, c, blasint(ldc))
        }
    }

    /// `gemm` with K = 1 and β = 1, as `sger`: C[M×N] += α · a[M] · bᵀ[N], where a is column 0 of op(A) (stored
    /// [M×1] with stride lda, or transposed [1×M], contiguous) and b row 0 of op(B) ([1×N] contiguous, or
    /// transposed [N×1] with stride ldb).
    private static func outerProduct(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, alpha: Float,
                                     _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                                     _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sger(CblasRowMajor, blasint(m), blasint(n), alpha, a, blasint(transA == .none ? lda : 1),
                   b, blasint(transB == .none ? 1 : ldb), c, blasint(ldc))
    }

    /// The kernel family OpenBLAS chose for this CPU (for example "Haswell" or "SkylakeX").
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
}
