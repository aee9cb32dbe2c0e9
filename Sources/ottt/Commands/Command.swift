/// A subcommand of `ottt`. Every command is listed once, in `Commands.all`.
protocol Command {
    /// The word after `ottt`.
    static var name: String { get }
    /// One line for `ottt help`.
    static var abstract: String { get }
    /// Usage text for `ottt NAME --help` and usage errors: synopsis, options, an example.
    static var usage: String { get }
    /// Parses the arguments after the command name; throws `UsageError` for bad flags.
    init(arguments: Arguments) throws
    /// Does the work; throws for failures (exit 1).
    func run() throws
    /// The usage that `--help` prints for these arguments (a command with subcommands shows the named one's).
    static func help(for arguments: Arguments) -> String
}

extension Command {
    static func help(for arguments: Arguments) -> String { usage }
}

/// A wrong flag or argument: printed with the usage, exit 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// A failure to report on one line, exit 1 (or a more specific code, such as 74 for a lost device).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1
    init(_ message: String, exitCode: Int32 = 1) {
        description = message
        self.exitCode = exitCode
    }
}
