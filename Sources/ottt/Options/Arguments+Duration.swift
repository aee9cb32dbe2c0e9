import DVSEvents

/// Durations on the command line: one parser for every duration flag (`--dt`, `--stop-after`, `--window`,
/// `--reset silence:…`, `bench soak --stream`, …). A unit is required: `--dt 10` once made 344,844 bins of a 3.4 s
/// file, read as 10 µs; it is now refused with the fix.
enum DurationText {
    /// The units, longest suffix first so `ms` is not read as `s` and `min` not as `in`.
    static let units: [(suffix: String, scale: Double)] = [
        ("min", 60e6), ("us", 1), ("µs", 1), ("ms", 1e3), ("h", 3600e6), ("s", 1e6),
    ]

    enum Problem: Error, Equatable { case noUnit, notADuration, tooLong }

    /// `text` (`10ms`, `2.5s`, `500us`, `90min`, `1h`) in µs; zero is allowed (callers that need more say so).
    static func parse(_ text: String) -> Result<Microseconds, Problem> {
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let v = Double(text.dropLast(suffix.count)), v.isFinite, v >= 0 else { return .failure(.notADuration) }
            guard let us = Microseconds(exactly: (v * scale).rounded()) else { return .failure(.tooLong) }
            return .success(us)
        }
        return Double(text) != nil ? .failure(.noUnit) : .failure(.notADuration)
    }

    /// The usage error for `--name text` (`what` names the flag, e.g. `--dt`).
    static func error(_ problem: Problem, flag: String, text: String) -> UsageError {
        switch problem {
        case .noUnit: UsageError("\(flag) \(text): give a unit, e.g. \(text)ms (us, ms, s, min, h)")
        case .notADuration: UsageError("\(flag): a duration like 10ms, 2.5s or 500us, not '\(text)'")
        case .tooLong: UsageError("\(flag): '\(text)' is longer than any stream")
        }
    }
}

extension Arguments {
    /// A `--name DURATION` option in µs (a unit required), or nil when absent; `positive` refuses zero.
    mutating func duration(_ name: String, positive: Bool = true) throws -> Microseconds? {
        guard let text = try option(name) else { return nil }
        switch DurationText.parse(text) {
        case .success(let us):
            if positive && us == 0 { throw UsageError("--\(name): a duration above zero, not '\(text)'") }
            return us
        case .failure(let problem): throw DurationText.error(problem, flag: "--\(name)", text: text)
        }
    }

    /// A `--name DURATION` option in µs with a default when absent.
    mutating func duration(_ name: String, default value: Microseconds, positive: Bool = true) throws -> Microseconds {
        try duration(name, positive: positive) ?? value
    }

    /// Shows a duration in µs as it would be typed: `10ms`, `2s`, `500us`.
    static func show(_ us: Microseconds) -> String {
        if us != 0 && us % 3_600_000_000 == 0 { return "\(us / 3_600_000_000)h" }
        if us != 0 && us % 60_000_000 == 0 && us >= 60_000_000 { return "\(us / 60_000_000)min" }
        if us != 0 && us % 1_000_000 == 0 { return "\(us / 1_000_000)s" }
        if us != 0 && us % 1000 == 0 { return "\(us / 1000)ms" }
        return "\(us)us"
    }
}
