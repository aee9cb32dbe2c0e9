import InputLimits

/// The arguments of one command: positionals, `--name value` / `--name=value` options and `--name` switches.
///
/// A command takes its options and switches first, then its positionals; `finish()` rejects whatever is left,
/// so a typo never passes silently. A lone `--` ends the options.
struct Arguments {
    private var words: [String]
    /// Words after a lone `--`: positionals only.
    private var literal: [String]

    init(_ raw: [String]) {
        if let dashes = raw.firstIndex(of: "--") {
            words = Array(raw[..<dashes])
            literal = Array(raw[(dashes + 1)...])
        } else {
            words = raw
            literal = []
        }
    }

    /// Applies `change` to the option words (not to those after a lone `--`).
    mutating func mapWords(_ change: (inout [String]) -> Void) { change(&words) }

    /// Whether `--help` or `-h` was given.
    var wantsHelp: Bool { words.contains("--help") || words.contains("-h") }

    private static func isOption(_ w: String) -> Bool { w.hasPrefix("--") && w.count > 2 }

    /// A `--name value` (or `--name=value`) option, or nil when absent. The last one given wins.
    mutating func option(_ name: String) throws -> String? {
        var value: String?
        while let i = words.firstIndex(where: { $0 == "--\(name)" || $0.hasPrefix("--\(name)=") }) {
            let w = words.remove(at: i)
            if let eq = w.firstIndex(of: "=") {
                value = String(w[w.index(after: eq)...])
            } else {
                guard i < words.count, !Arguments.isOption(words[i]) else { throw UsageError("--\(name) needs a value") }
                value = words.remove(at: i)
            }
        }
        return value
    }

    /// A `--name value` option converted by `parse`, with a default when absent.
    mutating func option<T>(_ name: String, default value: T, _ parse: (String) -> T?) throws -> T {
        guard let s = try option(name) else { return value }
        guard let v = parse(s) else { throw UsageError("--\(name): cannot use '\(s)'") }
        return v
    }

    /// A `--name N` option that must be a positive whole number, with a default when absent.
    mutating func positiveInt(_ name: String, default value: Int) throws -> Int {
        try option(name, default: value) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
    }

    /// A `--name N` option that must be a positive whole number, or nil when absent.
    mutating func positiveInt(_ name: String) throws -> Int? {
        try option(name).map { w in
            guard let n = Int(w), n > 0 else { throw UsageError("--\(name): a positive number, not '\(w)'") }
            return n
        }
    }

    /// A `--name X` option that must be a finite number ≥ 0, or nil when absent.
    mutating func nonNegativeNumber(_ name: String) throws -> Float? {
        try option(name).map { w in
            guard let x = Float(w), x >= 0, x.isFinite else { throw UsageError("--\(name): a number ≥ 0, not '\(w)'") }
            return x
        }
    }

    /// A `--name [value]` option whose value may be left out (`ottt live --simulate [TASK]`): nil when absent,
    /// `bare` when given alone (last, or followed by another option), else its value. Only for commands without
    /// positionals, where the word after it cannot be one.
    mutating func optionalValue(_ name: String, bare: String) -> String? {
        guard let i = words.lastIndex(where: { $0 == "--\(name)" || $0.hasPrefix("--\(name)=") }) else { return nil }
        let w = words.remove(at: i)
        let value: String
        if let eq = w.firstIndex(of: "=") {
            value = String(w[w.index(after: eq)...])
        } else if i < words.count, !Arguments.isOption(words[i]) {
            value = words.remove(at: i)
        } else {
            value = bare
        }
        _ = optionalValue(name, bare: bare)              // earlier ones: the last one given wins
        return value
    }

    /// A `--name` switch.
    mutating func flag(_ name: String) -> Bool {
        var found = false
        while let i = words.firstIndex(of: "--\(name)") {
            words.remove(at: i)
            found = true
        }
        return found
    }

    /// The next positional argument, or nil when there is none.
    mutating func positional() -> String? {
        if let i = words.firstIndex(where: { !Arguments.isOption($0) }) { return words.remove(at: i) }
        return literal.isEmpty ? nil : literal.removeFirst()
    }

    /// The next positional argument, required.
    mutating func positional(_ what: String) throws -> String {
        guard let p = positional() else { throw UsageError("missing \(what)") }
        return p
    }

    /// All remaining positional arguments.
    mutating func remainingPositionals() -> [String] {
        var out: [String] = []
        while let p = positional() { out.append(p) }
        return out
    }

    /// Rejects unknown options and extra positionals.
    func finish() throws {
        if let unknown = words.first(where: { Arguments.isOption($0) && $0 != "--help" }) {
            throw UsageError("unknown option \(unknown)")
        }
        if let extra = (words.filter { !Arguments.isOption($0) } + literal).first {
            throw UsageError("unexpected argument '\(extra)'")
        }
    }
}

extension Arguments {
    /// The `--max-…` flags every command takes (main reads them before the command): the size limits in force.
    mutating func limits(from base: Limits = Limits()) throws -> Limits {
        var limits = base
        for kind in Limits.Kind.allCases {
            guard let text = try option(kind.rawValue) else { continue }
            guard let n = Arguments.count(text), n > 0 else {
                throw UsageError("\(kind.flag): a positive count such as 100000 or 2G, not '\(text)'")
            }
            limits[kind] = n
        }
        return limits
    }

    /// A whole count with an optional K, M or G suffix (powers of 1024), nil when it is not one or overflows.
    static func count(_ text: String) -> Int? {
        let scales: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        guard let last = text.last else { return nil }
        if let scale = scales[Character(last.uppercased())] {
            guard let n = Int(text.dropLast()) else { return nil }
            let (v, o) = n.multipliedReportingOverflow(by: scale)
            return o ? nil : v
        }
        return Int(text)
    }

    /// The limit flags, for `ottt help` and usage errors.
    static var limitsUsage: String {
        let d = Limits()
        return "size limits (any command; K, M, G suffixes):\n" + Limits.Kind.allCases.map {
            "  \($0.flag.padding(18)) \($0.what) (default \(d[$0]))"
        }.joined(separator: "\n")
    }
}
