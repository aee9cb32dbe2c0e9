@testable import EventFormats
import Testing

@Suite("time units of text files")
struct TimeUnitTests {
    @Test("a mantissa and its decimals in each unit become whole µs (toward zero)",
          arguments: [(TimeUnit.nanoseconds, Int64(1999), 0, Int64(1)), (.microseconds, 42, 0, 42),
                      (.milliseconds, 25, 1, 2500), (.seconds, 123_456_789, 9, 123_456), (.seconds, -15, 1, -1_500_000)])
    func conversions(unit: TimeUnit, mantissa: Int64, decimals: Int, microseconds: Int64) {
        #expect(unit.microseconds(mantissa: mantissa, decimals: decimals) == microseconds)
    }

    @Test("a time that overflows 64 bits of nanoseconds on the way is nil, not a trap")
    func overflow() {
        #expect(TimeUnit.seconds.microseconds(mantissa: .max / 10, decimals: 0) == nil)
        #expect(TimeUnit.seconds.microseconds(mantissa: 9_000_000_000, decimals: 0) == 9_000_000_000_000_000)
    }

    @Test("only units coarser than µs take decimals")
    func fractions() {
        #expect(TimeUnit.allCases.filter(\.allowsFraction) == [.milliseconds, .seconds])
    }
}
