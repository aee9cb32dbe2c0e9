struct HelpCommand: Command {
    static let name = "help"
    static let abstract = "List the commands, or show one command's usage."
    static let usage = """
    usage: ottt help [COMMAND]

    Example:
      ottt help info
    """

    let topic: String?

    init(arguments: Arguments) throws {
        var a = arguments
        topic = a.positional()
        try a.finish()
    }

    func run() throws {
        if let topic {
            guard let command = Commands.named(topic) else { throw UsageError("no command '\(topic)'") }
            print(command.usage)
        } else {
            print(HelpCommand.overview)
        }
    }

    static var overview: String {
        let width = Commands.all.map { $0.name.count }.max() ?? 0
        let lines = Commands.all.map { "  " + $0.name.padding(width + 2) + $0.abstract }
        return """
        ottt: learn from an event camera while it streams (Online Training Through Time).

        usage: ottt COMMAND [ARGS...]     ottt COMMAND --help

        Commands:
        \(lines.joined(separator: "\n"))

        \(Arguments.limitsUsage)
        """
    }
}
