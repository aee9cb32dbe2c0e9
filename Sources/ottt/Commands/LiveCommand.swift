import DVSCamera
import DVSEvents
import Foundation
import Pipeline

/// `ottt live`: the always-on learner on a camera.
struct LiveCommand: Command {
    static let name = "live"
    static let abstract = "Run the always-on learner on a live camera: predict every bin, learn while you teach."
    static var usage: String {
        """
        usage: ottt live [--camera SERIAL] [--model CKPT] [OPTIONS]

        Streams the camera (the first one that opens, or SERIAL; see `ottt devices`) through the learner: bins of
        Δt, one network step per bin with the state carried, a running prediction shown live. Teach it with
        --teach (keys 0–9) or --teach-from; record the session with --record to replay it exactly later.
        When the network falls behind, bins are merged (default) or dropped, and counted. If the camera is
        unplugged the session ends with exit code 74 after processing every event received, and a recording in
        progress is closed and readable. Ctrl-C (or q with --teach) ends it cleanly.

          --camera SERIAL       which camera (a serial, or bus:address as `ottt devices` shows)
          --usb-trace           print every control request sent to the camera on stderr (for bug reports)

        \(SessionOptions.usage)
        \(WebOptions.usage)

        Examples:
          ottt live --teach --labels gestures.txt --record today.aedat4 --save today.safetensors
          ottt live --model today.safetensors --print lines
        """
    }

    let serial: String?
    let usbTrace: Bool
    let options: SessionOptions
    let web: WebOptions?
    /// Where `--teach` reads keys from; nil for the terminal on stdin.
    var keys: (any KeyInput)?
    /// Receives every control request sent to the camera (besides --usb-trace's stderr).
    var requests: (@Sendable (String) -> Void)?

    init(arguments: Arguments) throws {
        var a = arguments
        serial = try a.option("camera")
        usbTrace = a.flag("usb-trace")
        web = try WebOptions.parse(&a)
        options = try SessionOptions(&a)
        try a.finish()
        if options.settings.learn && !options.teaches {
            throw UsageError("--learn needs labels: add --teach (keys 0–9) or --teach-from FILE|-")
        }
    }

    func run() throws {
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
        var plan = try options.plan(sourceName: name, whenBehind: .merge)
        plan.realTimeSpeed = 1
        try SessionConsole(options: options, title: "live \(name)", sourceErrorExitCode: 74, keys: keys, web: web)
            .run(source: camera, plan: plan)
    }
}
