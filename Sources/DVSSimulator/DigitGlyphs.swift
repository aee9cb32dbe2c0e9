import Foundation

/// A point in glyph or image coordinates (x right, y down).
public struct Point2: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// The built-in digit font: each of 0–9 as centre-line strokes (polylines) in a box 6 units wide and 10 tall,
/// drawn with a round pen. Curves are arcs of ellipses cut into short segments.
public enum DigitGlyphs {
    /// The glyph box: x in 0…6, y in 0…10 (y down).
    public static let boxWidth = 6.0
    public static let boxHeight = 10.0

    /// The strokes of `digit` (0–9).
    public static func strokes(_ digit: Int) -> [[Point2]] {
        precondition((0...9).contains(digit), "digits are 0…9, got \(digit)")
        return all[digit]
    }

    /// All ten glyphs, built once.
    static let all: [[[Point2]]] = (0...9).map(build)

    /// Points along an ellipse centred at (cx, cy) with radii (rx, ry) from angle `from` to `to` in degrees,
    /// measured on screen: 0° right, 90° down, 270° up.
    static func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, from: Double, to: Double) -> [Point2] {
        let steps = max(4, Int(abs(to - from) / 12))
        return (0...steps).map { k in
            let a = (from + (to - from) * Double(k) / Double(steps)) * Double.pi / 180
            return Point2(cx + rx * cos(a), cy + ry * sin(a))
        }
    }

    private static func line(_ xy: (Double, Double)...) -> [Point2] { xy.map { Point2($0.0, $0.1) } }

    private static func build(_ digit: Int) -> [[Point2]] {
        switch digit {
        case 0:
            return [arc(3, 5, 2.5, 4.5, from: 0, to: 360)]
        case 1:
            return [line((1.6, 2.2), (3.5, 0.5), (3.5, 9.5))]
        case 2:
            return [arc(3, 3, 2.4, 2.4, from: 195, to: 380) + line((0.6, 9.5), (5.6, 9.5))]
        case 3:
            return [arc(3, 2.7, 2.2, 2.2, from: 200, to: 450) + arc(3, 7.2, 2.45, 2.3, from: 270, to: 520)]
        case 4:
            return [line((4.3, 9.5), (4.3, 0.5), (0.5, 6.8), (5.7, 6.8))]
        case 5:
            return [line((5.2, 0.5), (1.3, 0.5), (1.05, 4.4)) + arc(3, 6.8, 2.5, 2.7, from: 235, to: 515)]
        case 6:
            return [arc(4.6, 5.4, 4.0, 5.0, from: 255, to: 165), arc(3, 7.1, 2.45, 2.4, from: 0, to: 360)]
        case 7:
            return [line((0.5, 0.5), (5.6, 0.5), (2.3, 9.5))]
        case 8:
            return [arc(3, 2.65, 2.0, 2.15, from: 0, to: 360), arc(3, 7.2, 2.5, 2.3, from: 0, to: 360)]
        default:
            return [arc(3, 2.9, 2.45, 2.4, from: 0, to: 360), arc(1.4, 4.6, 4.0, 5.0, from: -15, to: 75)]
        }
    }
}
