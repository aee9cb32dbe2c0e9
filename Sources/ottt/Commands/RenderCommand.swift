import Foundation
import DVSEvents
import Pipeline
import EventFormats
import EventBinning
import InputLimits
import Pictures

/// `ottt render FILE OUT.gif`: a recording as an animated picture with a decay (as faery renders them), streamed
/// frame by frame into a GIF and/or a folder of PNG video frames.
struct RenderCommand: Command {
    static let name = "render"
    static let abstract = "Render a recording as an animated GIF or PNG video frames (ON orange, OFF blue, fading)."
    static var usage: String { """
    usage: ottt render FILE OUT.gif [--fps N] [--decay D] [--speed S] [--zoom Z] [--png DIR] [--format F]
                                    [--convention C] [--from D] [--until D] [--area X,Y,W,H]

    Each pixel shows its last event's polarity (ON orange, OFF blue) fading as exp(-age/D); a frame every 1/N s
    of the picture, S times that of the stream, at the sensor's resolution.
    --fps N          frames per second of the picture, 1 to 50 (default 30)
    --decay D        the fade's time constant, e.g. 20ms (default 50ms)
    --speed S        stream seconds per second of picture: 0.1 is ten times slower (default 1)
    --zoom Z         magnify each pixel Z times, 1 to 16 (default 1)
    --png DIR        (also) write the frames as DIR/frame_000000_0us-33333us.png … (number, then the stream time
                     the frame covers after the first event drawn), removing the frame PNGs an earlier run left
                     there; OUT.gif may then be left out. ffmpeg makes a video of them:
                     `ffmpeg -framerate 30 -pattern_type glob -i 'DIR/frame_*.png' out.mp4`
    --format F       FILE's format when sniffing cannot tell
    --convention C   DVS128 orientation/polarity of AEDAT 1/2 input: \(DVS128Convention.allCases.map(\.rawValue).joined(separator: ", "))
    \(CropOptions.usage)

    OUT.gif appears only once complete; frames are written as they are made (memory stays at a few frames).

    Examples (after `ottt synth --task digits --samples 10 --stream --out data/stream`):
      ottt render data/stream/stream.aedat4 /tmp/stream.gif --fps 30 --decay 50ms
      ottt render data/stream/stream.aedat4 --png /tmp/video --speed 0.5 --from 1s --until 2s --area 0,0,16,16
    """ }

    /// Most frames one render makes: a timestamp far in the future must not make a GIF of days.
    static let frameLimit = 100_000

    let path: String
    let gif: String?
    let png: String?
    let format: EventFileFormat?
    let readOptions: ReadOptions
    let fps: Int
    let decay: Microseconds
    let speed: Double
    let zoom: Int
    let crop: CropOptions

    init(arguments: Arguments) throws {
        var a = arguments
        format = try a.eventFileFormat()
        readOptions = try a.readOptions()
        fps = try a.option("fps", default: 30) { Int($0).flatMap { (1...50).contains($0) ? $0 : nil } }
        decay = try a.duration("decay", default: 50_000)
        speed = try a.option("speed", default: 1.0) { Double($0).flatMap { $0 > 0 && $0 <= 1e6 ? $0 : nil } }
        zoom = try a.option("zoom", default: 1) { Int($0).flatMap { (1...16).contains($0) ? $0 : nil } }
        png = try a.option("png")
        crop = try CropOptions(&a)
        path = try a.positional("a FILE to read")
        gif = a.positional()
        try a.finish()
        if gif == nil && png == nil { throw UsageError("give OUT.gif, --png DIR or both") }
        if let gif, !gif.lowercased().hasSuffix(".gif") { throw UsageError("OUT must be a .gif file, not '\(gif)'") }
        if step < 1 { throw UsageError("--speed \(speed) at --fps \(fps) is less than 1 µs of stream per frame") }
    }

    /// Stream time per frame, in µs.
    var step: Double { speed * 1e6 / Double(fps) }

    func run() throws { print(try render()) }

    /// Writes the frames and returns the summary line.
    func render() throws -> String {
        let reader = try EventFile.open(path: path, format: format, options: readOptions)
        let limits = Limits.current
        try limits.checkSensor(width: reader.info.sensor.width, height: reader.info.sensor.height, source: "declared by \(path)")
        let cropped = try crop.cropped(reader)
        let source: any EventSource = cropped ?? reader
        let sensor = source.info.sensor
        try limits.checkFrames(count: 1, height: sensor.height * zoom, width: sensor.width * zoom, what: "one frame at --zoom \(zoom)")
        let writer = try gif.map { try GIFWriter(path: $0, width: sensor.width * zoom, height: sensor.height * zoom,
                                                 palette: DecayRenderer.palette) }
        if let png {
            do { try FileManager.default.createDirectory(atPath: png, withIntermediateDirectories: true) }
            catch { throw CommandFailure("cannot create \(png): \(error.localizedDescription)") }
            _ = try FramesCommand.removeStaleFrames(in: png)
        }
        func write(_ k: Int, _ indices: [UInt8]) throws -> Bool {
            guard k < Self.frameLimit else { return false }
            // Delays in 1/100 s, rounded so that they add up to the frame times (30 fps: 3, 3, 4, 3, 3, 4, …).
            let delay = (k + 1) * 100 / fps - k * 100 / fps
            try writer?.add(DecayRenderer.magnified(indices, sensor: sensor, by: zoom), delay: delay)
            if let png {
                let range = DecayRenderer.offset(ofFrame: k, step: step)..<DecayRenderer.offset(ofFrame: k + 1, step: step)
                let number = String(k), padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
                try DecayRenderer.image(indices, sensor: sensor, magnify: zoom)
                    .write(to: png + "/frame_\(padded)_\(FramesCommand.timeName(range, after: 0)).png")
            }
            return true
        }
        var renderer = DecayRenderer(sensor: sensor, decay: decay, step: step)
        let chunk = EventBuffer()
        while try source.read(into: chunk) {
            guard try renderer.add(chunk, frame: write) else {
                throw CommandFailure("\(path) makes more than \(Self.frameLimit) frames at --fps \(fps) --speed \(speed): "
                                     + "render a part (--from, --until) or faster (--speed)")
            }
        }
        try renderer.finish(frame: write)
        if let damage = (reader as? any DamageReporting)?.damage { printError("ottt: \(path): \(damage)") }
        guard renderer.frameCount > 0 else { throw CommandFailure("\(path) holds no events\(crop.isEmpty ? "" : " in the crop")") }
        try writer?.finish()
        let outputs = [gif, png.map { "\($0)/ (PNGs)" }].compactMap { $0 }.joined(separator: " and ")
        return "\(path) → \(outputs): \(renderer.frameCount) frames \(sensor.width * zoom)×\(sensor.height * zoom) at \(fps) fps, "
            + "\(Arguments.show(Microseconds(step.rounded()))) of stream each, decay \(Arguments.show(decay)); "
            + "\(renderer.drawn) events drawn" + (renderer.offSensor > 0 ? ", \(renderer.offSensor) off the sensor" : "")
    }
}
