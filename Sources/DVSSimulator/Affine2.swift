import Foundation

/// A 2-D affine map p ↦ A·p + b, with A = [[a, b], [c, d]] and b = (tx, ty).
public struct Affine2: Sendable, Equatable {
    public var a: Double, b: Double, c: Double, d: Double
    public var tx: Double, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.tx = tx; self.ty = ty
    }

    public static let identity = Affine2(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    public static func translation(_ x: Double, _ y: Double) -> Affine2 {
        Affine2(a: 1, b: 0, c: 0, d: 1, tx: x, ty: y)
    }

    public static func scaling(_ sx: Double, _ sy: Double) -> Affine2 {
        Affine2(a: sx, b: 0, c: 0, d: sy, tx: 0, ty: 0)
    }

    /// A rotation by `radians`, clockwise on screen (y down).
    public static func rotation(_ radians: Double) -> Affine2 {
        let cs = cos(radians), sn = sin(radians)
        return Affine2(a: cs, b: -sn, c: sn, d: cs, tx: 0, ty: 0)
    }

    /// A horizontal shear: x += k·y.
    public static func shear(_ k: Double) -> Affine2 {
        Affine2(a: 1, b: k, c: 0, d: 1, tx: 0, ty: 0)
    }

    /// The map that applies `first`, then `self`.
    public func after(_ first: Affine2) -> Affine2 {
        Affine2(a: a * first.a + b * first.c, b: a * first.b + b * first.d,
                c: c * first.a + d * first.c, d: c * first.b + d * first.d,
                tx: a * first.tx + b * first.ty + tx, ty: c * first.tx + d * first.ty + ty)
    }

    public func apply(_ p: Point2) -> Point2 {
        Point2(a * p.x + b * p.y + tx, c * p.x + d * p.y + ty)
    }
}
