import DVSCamera
import DVSEvents
import DVSSimulator
import Foundation
import Pipeline

/// `ottt live`: the always-on learner on a camera, or on the simulator (`--simulate`) for a first try without one.
struct LiveCommand: Command {
    static let name = "live"
    static let abstract = "Run the always-on learner on a live camera (or --simulate): predict every bin, learn while you teach."
    static var usage: String {
        """
        usage: ottt live [--camera SERIAL | --simulate [digits|motion]] [--model CKPT] [OPTIONS]

        Streams the camera (the first one that opens, or SERIAL; see `ottt devices`) through the learner: bins of
        Δt, one network step per bin with the state carried, a running prediction shown live. Teach it with
        --teach (keys 0–9) or --teach-from; record the session with --record to replay it exactly later.
        When the network falls behind, bins are merged (default) or dropped, and counted. If the camera is
        unplugged the session ends with exit code 74 after processing every event received, and a recording in
        progress is closed and readable. Ctrl-C (or q with --teach) ends it cleanly.

          --camera SERIAL       which camera (a serial, or bus:address as `ottt devices` shows)
          --usb-trace           print every control request sent to the camera on stderr (for bug reports)
          --simulate [TASK]     no camera: the simulator's \(LiveCommand.simulatedSamples) samples of TASK (digits, the
                                default, or motion; 32×32, as `ottt demo` learns them) streamed in real time through the
                                same path — the view, teaching, --record, --web; --learn learns from the simulator's
                                labels (or teach it yourself with --teach); the state is reset after 20 ms of silence
                                between samples (--reset silence:20ms) unless --reset label or silence:D is given
          --area X,Y,W,H        learn from the W×H pixels from column X, row Y only (the view, --record and the
                                network's input see that part, as the sensor): a region of a large sensor at a
                                higher resolution than the whole array resized to the network's input

        \(SessionOptions.usage)
        \(WebOptions.usage)

        The view shows the events at the sensor's resolution (shrunk to the terminal, fading over about 0.1 s), the
        top classes — or "untrained" while a fresh network has learned nothing — the rates, lag and accuracy, and
        with --teach the keys.

        Examples:
          ottt live --simulate --learn                     # no camera needed: watch it learn the digits
          ottt live --simulate --teach                     # teach it yourself: press the digit you see
          ottt live --simulate motion --learn --stop-after 30s --save motion.safetensors
          ottt live --teach --labels gestures.txt --record today.aedat4 --save today.safetensors
          ottt live --model today.safetensors --print lines
          ottt live --simulate --learn --area 8,8,16,16        # the middle of the simulator's 32×32 only
        """
    }

    let serial: String?
    let usbTrace: Bool
    /// `--simulate`: the task the simulator streams instead of a camera.
    let simulate: SyntheticTask?
    let options: SessionOptions
    let web: WebOptions?
    /// `--area`: the part of the sensor read.
    let area: EventCrop.Area?
    /// Where `--teach` reads keys from; nil for the terminal on stdin.
    var keys: (any KeyInput)?
    /// Receives every control request sent to the camera (besides --usb-trace's stderr).
    var requests: (@Sendable (String) -> Void)?

    init(arguments: Arguments) throws {
        var a = arguments
        serial = try a.option("camera")
        usbTrace = a.flag("usb-trace")
        simulate = try a.optionalValue("simulate", bare: "digits").map { name in
            guard let task = SyntheticTask.named(name) else { throw UsageError("--simulate: use digits or motion, not '\(name)'") }
            return task
        }
        web = try WebOptions.parse(&a)
        area = try CropOptions.area(&a)
        options = try SessionOptions(&a)
        try a.finish()
        if simulate != nil && (serial != nil || usbTrace) {
            throw UsageError("--simulate streams the simulator, not a camera: drop --camera and --usb-trace")
        }
        if options.settings.learn && !options.teaches && simulate == nil {
            throw UsageError("--learn needs labels: add --teach (keys 0–9) or --teach-from FILE|-, or try --simulate --learn")
        }
    }

    func run() throws {
        if let simulate { return try runSimulated(simulate) }
        var cameraOptions = Camera.Options()
        cameraOptions.policy = options.whenBehind ?? .merge
        if usbTrace || requests != nil {
            let (requests, toStderr) = (self.requests, usbTrace)
            cameraOptions.trace = { line in
                requests?(line)
                if toStderr { printError("usb: \(line)") }
            }
        }
        let camera: Camera
        do { camera = try Camera(serial: serial, options: cameraOptions) } catch { throw CommandFailure("\(error)") }
        defer { camera.close() }
        let name = "\(camera.cameraInfo.model) \(camera.cameraInfo.serial ?? "")"
        var options = self.options
        let source = try CropOptions(area: area).session(camera, settings: &options.settings)
        var plan = try options.plan(sourceName: name, whenBehind: .merge)
        plan.realTimeSpeed = 1
        try SessionConsole(options: options, title: "live \(name)", sourceErrorExitCode: 74, keys: keys, web: web)
            .run(source: source, plan: plan)
    }
}

extension LiveCommand {
    /// Samples in a simulated session (about an hour at 0.3 s and a gap each); it ends after them.
    static let simulatedSamples = 10_000

    /// The live path on the simulator: its stream paced at real time, its labels learned from with --learn when
    /// no one teaches.
    func runSimulated(_ task: SyntheticTask) throws {
        var options = self.options
        if options.settings.labelNames.isEmpty { options.settings.labelNames = task.classNames }
        if options.settings.reset == .never { options.settings.reset = DemoCommand.reset }     // as the demo learns
        let simulation = SimulationSettings(sensor: task.defaultSize)
        let gap = DemoCommand.gap(sampleDuration: simulation.sampleDuration, binWidth: options.settings.binWidth)
        let stream = SyntheticStream(task: task, settings: simulation, seed: 1, sampleCount: Self.simulatedSamples, gap: gap)
        let source = try CropOptions(area: area).session(stream, settings: &options.settings)
        var plan = try options.plan(sourceName: "simulator \(task.name)", whenBehind: .merge)
        plan.pace = .factor(1)
        if options.settings.learn && !options.teaches {
            plan.labels = .schedule(LabelSchedule((0..<Self.simulatedSamples).map {
                let span = stream.span(ofSample: $0)
                return LabelSchedule.Interval(start: span.start, end: span.end, label: span.label)
            }))
        }
        try SessionConsole(options: options, title: "live · simulated \(task.name)", keys: keys, web: web)
            .run(source: source, plan: plan)
    }
}
