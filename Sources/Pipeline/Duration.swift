import DVSEvents

/// Parses a duration with a unit (`us`, `ms`, `s`; a bare number is µs) into µs; nil when it is not a
/// non-negative number or its µs do not fit in 64 bits (`1e20s`), so that flags and teaching lines give a usage
/// or line error instead of a trap.
public func parseDuration(_ text: String) -> Microseconds? {
    let units: [(String, Double)] = [("us", 1), ("µs", 1), ("ms", 1e3), ("s", 1e6)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        guard let v = Double(text.dropLast(suffix.count)), v.isFinite, v >= 0 else { return nil }
        return Microseconds(exactly: (v * scale).rounded())
    }
    guard let v = Int64(text), v >= 0 else { return nil }
    return v
}
