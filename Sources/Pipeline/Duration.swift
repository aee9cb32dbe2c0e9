import DVSEvents

/// Parses a duration with a unit (`us`, `ms`, `s`; a bare number is µs) into µs.
public func parseDuration(_ text: String) -> Microseconds? {
    let units: [(String, Double)] = [("us", 1), ("µs", 1), ("ms", 1e3), ("s", 1e6)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        guard let v = Double(text.dropLast(suffix.count)), v.isFinite, v >= 0 else { return nil }
        return Microseconds((v * scale).rounded())
    }
    guard let v = Int64(text), v >= 0 else { return nil }
    return v
}
