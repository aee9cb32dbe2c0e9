import Foundation

/// Old flag names, kept for one release: `--T` is now `--steps`, and so on. Each command renames the words it
/// used to take before parsing (`rename`); the old word still works and warns once per process.
extension Arguments {
    /// Rewrites `--old V` / `--old=V` / `--old` as `--new`, `convert` mapping the value (e.g. µs to a duration),
    /// and warns once on stderr ("--old is now --new").
    mutating func rename(_ old: String, to new: String, convert: ((String) -> String)? = nil) {
        var seen = false
        mapWords { words in
            var i = 0
            while i < words.count {
                let w = words[i]
                if w == "--\(old)" {
                    seen = true
                    words[i] = "--\(new)"
                    if let convert, i + 1 < words.count { words[i + 1] = convert(words[i + 1]); i += 1 }
                } else if w.hasPrefix("--\(old)=") {
                    seen = true
                    let value = String(w.dropFirst(old.count + 3))
                    words[i] = "--\(new)=" + (convert?(value) ?? value)
                }
                i += 1
            }
        }
        if seen { RenamedFlags.warn("--\(old) is now --\(new)") }
    }

    /// Every renamed flag of the older names: a bare count of µs becomes a duration (`--window-us 5000` → `5000us`).
    static func microseconds(_ value: String) -> String { Int64(value) != nil ? value + "us" : value }
    /// A bare count of ms becomes a duration (`--gap-ms 30` → `30ms`).
    static func milliseconds(_ value: String) -> String { Int64(value) != nil ? value + "ms" : value }
}

/// The warnings already given in this process (each old name warns once).
enum RenamedFlags {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var given: Set<String> = []

    static func warn(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        guard given.insert(line).inserted else { return }
        printError("ottt: \(line) (the old name works for this release)")
    }
}
