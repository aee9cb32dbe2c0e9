internal import CMPI
internal import CMPIShim

/// A failed MPI call: which call, Open MPI's error code and class, and its message
/// (`MPI_Allreduce failed (error class 15, MPI_ERR_PROC_FAILED): ...`).
///
/// The communicators this module makes return errors instead of aborting (`MPI_ERRORS_RETURN`), so a failure
/// reaches Swift as this error; the caller decides whether to stop every rank (`Communicator.abort`).
public struct MPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The MPI function that failed, for example `MPI_Allreduce`.
    public let operation: String
    /// The error code MPI returned.
    public let code: Int32
    /// The error class of `code` (MPI's portable category).
    public let errorClass: Int32
    /// MPI's description of `code`.
    public let message: String

    public var description: String { "\(operation) failed (error class \(errorClass)): \(message)" }
}

/// Throws an `MPIError` unless `code` is `MPI_SUCCESS`: the one place MPI's integer results become Swift errors.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(MPIError) {
    if code == ottt_mpi_success() { return }
    throw MPIError(operation: operation(), code: code, errorClass: errorClass(of: code), message: errorString(code))
}

private func errorClass(of code: Int32) -> Int32 {
    var c: Int32 = 0
    return MPI_Error_class(code, &c) == ottt_mpi_success() ? c : code
}

private func errorString(_ code: Int32) -> String {
    let capacity = Int(ottt_mpi_max_error_string()) + 1
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
        var length: Int32 = 0
        guard let base = buffer.baseAddress, MPI_Error_string(code, base, &length) == ottt_mpi_success() else {
            return "MPI error code \(code)"
        }
        let bytes = UnsafeRawBufferPointer(start: base, count: Int(max(0, min(length, Int32(capacity)))))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `array.withUnsafeMutableBytes` for a body that throws `MPIError` (the standard library's is untyped).
func withMutableBytes<T, R>(_ array: inout [T], _ body: (UnsafeMutableRawBufferPointer) throws(MPIError) -> R)
    throws(MPIError) -> R
{
    try array.withUnsafeMutableBytes { bytes in Result { () throws(MPIError) in try body(bytes) } }.get()
}
