import Foundation
import InputLimits

/// Exit codes: 0 success, 1 failure, 64 usage error (sysexits EX_USAGE).
func printError(_ line: String) {
    var line = line
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
}

let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first else {
    printError(HelpCommand.overview)
    exit(64)
}
if name == "--help" || name == "-h" {
    print(HelpCommand.overview)
    exit(0)
}
if name == "--version" || name == "-V" {
    print(Usage.version)
    exit(0)
}
guard let command = Commands.named(name) else {
    printError("ottt: no command '\(name)'. Run 'ottt help' for the list.")
    exit(64)
}
signal(SIGPIPE, SIG_IGN)            // a closed pipe (`ottt convert IN - | head`) is a write error handled, not a death
PartialFiles.removeOnSignals()      // Ctrl-C or kill during convert, train, a checkpoint: no *.partial-PID left
var arguments = Arguments(Array(argv.dropFirst()))
do { Limits.current = try arguments.limits() } catch {
    printError("ottt \(name): \(error)\n\n\(Arguments.limitsUsage)")
    exit(64)
}
if arguments.wantsHelp {
    print(command.help(for: arguments))
    exit(0)
}
do {
    try command.init(arguments: arguments).run()
} catch let error as UsageError {
    printError(Usage.error("\(error)", command: name, usage: command.help(for: arguments)))
    exit(64)
} catch let failure as CommandFailure {
    printError("ottt \(name): \(failure)")
    exit(failure.exitCode)
} catch {
    printError("ottt \(name): \(error)")
    exit(1)
}
