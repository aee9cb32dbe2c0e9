/// The unit of the time column of a text file (CSV) that does not say: µs unless told (`ReadOptions.timeUnit`).
public enum TimeUnit: String, CaseIterable, Sendable {
    case nanoseconds = "ns"
    case microseconds = "us"
    case milliseconds = "ms"
    case seconds = "s"

    /// Nanoseconds in one unit.
    var nanoseconds: Int64 {
        switch self {
        case .nanoseconds: 1
        case .microseconds: 1_000
        case .milliseconds: 1_000_000
        case .seconds: 1_000_000_000
        }
    }

    /// Whether a time may have decimals (`0.25` s): only units coarser than the µs events are kept in.
    var allowsFraction: Bool { nanoseconds > 1_000 }

    /// `mantissa` / 10^`decimals` units in µs (rounded toward zero), nil when it does not fit 64 bits.
    func microseconds(mantissa: Int64, decimals: Int) -> Int64? {
        var divisor: Int64 = 1_000   // ns → µs
        var product = mantissa
        for _ in 0..<decimals { divisor *= 10 }
        // Multiply by the unit, dividing out common powers of ten first, so that 1.5 s does not overflow early.
        var scale = nanoseconds
        while scale % 10 == 0 && divisor % 10 == 0 { scale /= 10; divisor /= 10 }
        let (m, overflow) = product.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        product = m
        return product / divisor
    }
}
