/// Every subcommand, in the order `ottt help` lists them. Register a command here and nowhere else.
enum Commands {
    static var all: [any Command.Type] { [
        HelpCommand.self,
        DemoCommand.self,
        BenchCommand.self,
        FramesCommand.self,
        RenderCommand.self,
        DatasetCommand.self,
        InfoCommand.self,
        ConvertCommand.self,
        ReferenceCommand.self,
        TrainCommand.self,
        EvalCommand.self,
        DevicesCommand.self,
        ReplayCommand.self,
        LiveCommand.self,
        SynthCommand.self,
        ExportCommand.self,
        ImportCommand.self,
    ] }

    static func named(_ name: String) -> (any Command.Type)? {
        all.first { $0.name == name }
    }
}
