import DVSEvents
import EventBinning
import InputLimits

/// Events in, network inputs out: EventBinning's causal streaming binner (one frame per Δt, exact µs edges) followed
/// by its evaluation preprocessing (resize to the network input, normalisation). Bin indices count from `firstBin`
/// so that a resumed session numbers its bins as the session it continues.
public final class FrameMaker {
    let binner: StreamingBinner
    let preprocessing: Preprocessing
    let firstBin: Int

    init(sensor: SensorSize, binWidth: Microseconds, origin: Microseconds? = nil, firstBin: Int = 0,
                value: FrameValue = .counts, maxSilentBins: Int = 100_000, preprocessing: Preprocessing) throws(LimitError) {
        // The sensor may come from a file's header: its frame is checked against the frame budget first.
        binner = try StreamingBinner(checking: sensor, binWidth: binWidth, start: origin, value: value,
                                     maxSilentFrames: maxSilentBins)
        self.preprocessing = preprocessing
        self.firstBin = firstBin
    }

    /// The frame maker a session's settings describe, for a network whose input is `input` [2, H, W].
    public convenience init(settings: SessionSettings, input: [Int]) throws(PipelineError) {
        guard input.count == 3, input[0] == Frames.channels else {
            throw PipelineError(file: "network", expected: "an input of 2 polarity channels [2, H, W]", found: "\(input)")
        }
        let preprocessing = Preprocessing(resize: FrameResizer(mode: settings.resize, height: input[1], width: input[2],
                                                               input: settings.sensor),
                                          normalization: settings.normalize ? .paper : .identity)
        do {
            try self.init(sensor: settings.sensor, binWidth: settings.binWidth, origin: settings.origin,
                          firstBin: settings.firstBin, value: settings.frameValue,
                          maxSilentBins: settings.maxSilentBins, preprocessing: preprocessing)
        } catch {
            throw PipelineError(file: "the stream", expected: "a sensor within the limits", found: "\(error)")
        }
    }

    /// Bins `chunk`, calling `emit` with every network input it completes.
    public func push(_ chunk: EventBuffer, emit: (BinnedFrame) throws -> Void) rethrows {
        try binner.push(chunk) { try emit(convert($0)) }
    }

    /// The last, partial bin at the end of a stream.
    public func finish(emit: (BinnedFrame) throws -> Void) rethrows {
        try binner.finish { try emit(convert($0)) }
    }

    public var report: StreamingReport { binner.report }

    private func convert(_ f: StreamedFrame) -> BinnedFrame {
        let raw = Frames(count: 1, height: binner.sensor.height, width: binner.sensor.width, values: Array(f.values))
        let input = preprocessing.evaluate(raw)
        let bin = firstBin + f.index
        return BinnedFrame(bins: bin...bin, start: f.start, end: f.end, events: f.events, values: input.values)
    }
}
