import Foundation

/// What a usage error shows: the one-line reason, the command's usage line(s), and where the rest is — not the
/// whole help, which pushed the reason off the screen.
enum Usage {
    /// The program's version, for `ottt --version`.
    static let version = "ottt 0.9.0"

    /// The synopsis of `usage`: its first lines, up to the first blank one.
    static func synopsis(_ usage: String) -> String {
        usage.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .joined(separator: "\n")
    }

    /// The text printed on stderr for a usage error of `ottt NAME`.
    static func error(_ reason: String, command name: String, usage: String) -> String {
        "ottt \(name): \(reason)\n\(synopsis(usage))\nRun 'ottt \(name) --help' for the options and examples."
    }
}
