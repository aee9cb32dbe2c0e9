import DVSEvents

/// The hot loop of AEDAT 4 reading: one packet's vector of 16-byte `Event {int64 t; int16 x; int16 y; bool on}`
/// structs (3 padding bytes) into the t, x, y, p columns.
///
/// One pass moves every event with vector loads, eight at a time (four 32-byte loads split into the t lane and
/// the x|y|on lane), with no branch per event, while it gathers the checks (time going backwards, outside the
/// sensor) into one mask. A packet that is all in time order and on the sensor, nearly every one, is then kept
/// whole; any other is written again by `filter`, advancing the write cursor only for the kept events.
enum AEDAT4EventKernel {
    /// What the kernel carries from packet to packet: the last kept time, the sensor, and what it skipped.
    struct State {
        var last: Int64
        let width: UInt16, height: UInt16
        var backwards = 0, outside = 0
    }

    /// Converts `n` events at `src` into the columns; returns how many were kept (all of them unless some go
    /// backwards in time or lie outside the sensor, which are then skipped and counted in `state`).
    @inline(__always)
    static func convert(
        _ src: UnsafeRawPointer, _ n: Int,
        _ tp: UnsafeMutablePointer<Microseconds>, _ xp: UnsafeMutablePointer<UInt16>,
        _ yp: UnsafeMutablePointer<UInt16>, _ pp: UnsafeMutablePointer<UInt8>,
        _ state: inout State
    ) -> Int {
        let w = SIMD8<UInt16>(repeating: state.width), h = SIMD8<UInt16>(repeating: state.height)
        var previous = state.last
        var badTime = SIMDMask<SIMD8<Int64>>(repeating: false)
        var badPlace = SIMDMask<SIMD8<Int16>>(repeating: false)
        var j = 0
        let tRaw = UnsafeMutableRawPointer(tp), xRaw = UnsafeMutableRawPointer(xp)
        let yRaw = UnsafeMutableRawPointer(yp), pRaw = UnsafeMutableRawPointer(pp)
        while j &+ 8 <= n {
            let e = src + j &* 16
            // Lanes: t0 m0 t1 m1 | t2 m2 t3 m3 | … where m = x | y << 16 | on << 32.
            let a = e.loadUnaligned(as: SIMD4<UInt64>.self)
            let b = e.loadUnaligned(fromByteOffset: 32, as: SIMD4<UInt64>.self)
            let c = e.loadUnaligned(fromByteOffset: 64, as: SIMD4<UInt64>.self)
            let d = e.loadUnaligned(fromByteOffset: 96, as: SIMD4<UInt64>.self)
            let t = SIMD8<Int64>(truncatingIfNeeded: SIMD8<UInt64>(a[0], a[2], b[0], b[2], c[0], c[2], d[0], d[2]))
            let m = SIMD8<UInt64>(a[1], a[3], b[1], b[3], c[1], c[3], d[1], d[3])
            let x = SIMD8<UInt16>(truncatingIfNeeded: m)
            let y = SIMD8<UInt16>(truncatingIfNeeded: m &>> 16)
            let on = (m &>> 32) & 0xFF
            let p = SIMD8<UInt8>(truncatingIfNeeded: (on | (0 &- on)) &>> 63)  // 1 when any bit of `on` is set
            let before = SIMD8<Int64>(previous, t[0], t[1], t[2], t[3], t[4], t[5], t[6])
            badTime .|= t .< before
            badPlace .|= (x .>= w) .| (y .>= h)
            previous = t[7]
            tRaw.storeBytes(of: t, toByteOffset: j &* 8, as: SIMD8<Int64>.self)
            xRaw.storeBytes(of: x, toByteOffset: j &* 2, as: SIMD8<UInt16>.self)
            yRaw.storeBytes(of: y, toByteOffset: j &* 2, as: SIMD8<UInt16>.self)
            pRaw.storeBytes(of: p, toByteOffset: j, as: SIMD8<UInt8>.self)
            j &+= 8
        }
        var tail = false
        while j < n {
            let (et, ex, ey) = copy(src, j, to: j, tp, xp, yp, pp)
            tail = tail || et < previous || ex >= state.width || ey >= state.height
            previous = et
            j &+= 1
        }
        if !any(badTime) && !any(badPlace) && !tail {
            state.last = previous
            return n
        }
        return filter(src, n, tp, xp, yp, pp, &state)
    }

    /// Copies record `j` at `src` into slot `k` of the columns, one event at a time; returns its t, x, y.
    @inline(__always)
    static func copy(
        _ src: UnsafeRawPointer, _ j: Int, to k: Int,
        _ tp: UnsafeMutablePointer<Microseconds>, _ xp: UnsafeMutablePointer<UInt16>,
        _ yp: UnsafeMutablePointer<UInt16>, _ pp: UnsafeMutablePointer<UInt8>
    ) -> (t: Int64, x: UInt16, y: UInt16) {
        let e = src + j &* 16
        let et = Int64(littleEndian: e.loadUnaligned(as: Int64.self))
        let ex = UInt16(littleEndian: e.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        let ey = UInt16(littleEndian: e.loadUnaligned(fromByteOffset: 10, as: UInt16.self))
        tp[k] = et
        xp[k] = ex
        yp[k] = ey
        pp[k] = e.load(fromByteOffset: 12, as: UInt8.self) == 0 ? 0 : 1
        return (et, ex, ey)
    }

    /// The slow path for a packet with events to skip: one event at a time, keeping those in time order and on
    /// the sensor (still without a branch per event: the write cursor advances by 0 or 1).
    static func filter(
        _ src: UnsafeRawPointer, _ n: Int,
        _ tp: UnsafeMutablePointer<Microseconds>, _ xp: UnsafeMutablePointer<UInt16>,
        _ yp: UnsafeMutablePointer<UInt16>, _ pp: UnsafeMutablePointer<UInt8>,
        _ state: inout State
    ) -> Int {
        let w = state.width, h = state.height
        var last = state.last
        var backwards = 0, outside = 0, k = 0
        for j in 0..<n {
            let (et, ex, ey) = copy(src, j, to: k, tp, xp, yp, pp)
            let inOrder = et >= last
            let inside = ex < w && ey < h
            let keep = inOrder && inside
            last = keep ? et : last
            backwards &+= inOrder ? 0 : 1
            outside &+= inOrder && !inside ? 1 : 0
            k &+= keep ? 1 : 0
        }
        state.last = last
        state.backwards += backwards
        state.outside += outside
        return k
    }

    /// The writer's way: `n` events of the columns into 16-byte records at `dst` (padding zeroed, `on` 0 or 1),
    /// eight at a time, after checking that they are in time order from `last` and on the `w`×`h` sensor. Returns
    /// nil when all were written, or the index of the first that is not (nothing is written then).
    @inline(__always)
    static func pack(
        _ tp: UnsafePointer<Microseconds>, _ xp: UnsafePointer<UInt16>, _ yp: UnsafePointer<UInt16>,
        _ pp: UnsafePointer<UInt8>, _ n: Int, last: Int64, width w: UInt16, height h: UInt16,
        into dst: UnsafeMutableRawPointer
    ) -> Int? {
        var previous = last
        var bad = false
        for i in 0..<n {
            bad = bad || tp[i] < previous || xp[i] >= w || yp[i] >= h
            previous = tp[i]
        }
        if bad {
            previous = last
            for i in 0..<n {
                if tp[i] < previous || xp[i] >= w || yp[i] >= h { return i }
                previous = tp[i]
            }
        }
        var j = 0
        while j &+ 8 <= n {
            let t = UnsafeRawPointer(tp + j).loadUnaligned(as: SIMD8<UInt64>.self)
            let x = SIMD8<UInt64>(truncatingIfNeeded: UnsafeRawPointer(xp + j).loadUnaligned(as: SIMD8<UInt16>.self))
            let y = SIMD8<UInt64>(truncatingIfNeeded: UnsafeRawPointer(yp + j).loadUnaligned(as: SIMD8<UInt16>.self))
            let raw = SIMD8<UInt64>(truncatingIfNeeded: UnsafeRawPointer(pp + j).loadUnaligned(as: SIMD8<UInt8>.self))
            let on = (raw | (0 &- raw)) &>> 63  // 1 when any bit is set
            let m = x | y &<< 16 | on &<< 32
            let e = dst + j &* 16
            e.storeBytes(of: SIMD4<UInt64>(t[0], m[0], t[1], m[1]), as: SIMD4<UInt64>.self)
            e.storeBytes(of: SIMD4<UInt64>(t[2], m[2], t[3], m[3]), toByteOffset: 32, as: SIMD4<UInt64>.self)
            e.storeBytes(of: SIMD4<UInt64>(t[4], m[4], t[5], m[5]), toByteOffset: 64, as: SIMD4<UInt64>.self)
            e.storeBytes(of: SIMD4<UInt64>(t[6], m[6], t[7], m[7]), toByteOffset: 96, as: SIMD4<UInt64>.self)
            j &+= 8
        }
        while j < n {
            let e = dst + j &* 16
            e.storeBytes(of: tp[j].littleEndian, as: Int64.self)
            let m = UInt64(xp[j]) | UInt64(yp[j]) << 16 | UInt64(pp[j] == 0 ? 0 : 1) << 32
            e.storeBytes(of: m.littleEndian, toByteOffset: 8, as: UInt64.self)
            j &+= 1
        }
        return nil
    }
}
