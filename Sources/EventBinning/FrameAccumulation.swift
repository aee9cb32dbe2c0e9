import DVSEvents

/// What a frame pixel holds.
public enum FrameValue: String, CaseIterable, Sendable {
    /// The number of events (SpikingJelly's and tonic's frames).
    case counts
    /// 1 where at least one event fell, else 0.
    case binary
}

/// The one accumulation kernel behind the offline and the streaming binners.
///
/// Adds events `range` of the columns x, y, p into one frame `frame` [2, H, W] (channel 0 = OFF, 1 = ON; any p ≠ 0
/// is ON). Events off the H×W array are skipped and counted. Returns the number skipped.
@inlinable
func accumulateEvents(
    x: UnsafePointer<UInt16>, y: UnsafePointer<UInt16>, p: UnsafePointer<UInt8>, range: Range<Int>,
    into frame: UnsafeMutablePointer<Float>, width: Int, height: Int, value: FrameValue
) -> Int {
    let plane = width * height
    var offSensor = 0
    switch value {
    case .counts:
        for i in range {
            let xi = Int(x[i]), yi = Int(y[i])
            guard xi < width, yi < height else { offSensor += 1; continue }
            let c = p[i] == 0 ? 0 : plane                       // channel offset: OFF 0, ON H·W
            frame[c + yi * width + xi] += 1
        }
    case .binary:
        for i in range {
            let xi = Int(x[i]), yi = Int(y[i])
            guard xi < width, yi < height else { offSensor += 1; continue }
            let c = p[i] == 0 ? 0 : plane
            frame[c + yi * width + xi] = 1
        }
    }
    return offSensor
}
