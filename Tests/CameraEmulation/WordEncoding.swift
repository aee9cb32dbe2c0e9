/// Builders of camera event words for tests, written from docs/USB.md §5 independently of the decoders.
public enum Words {
    public static func le16(_ words: [UInt16]) -> [UInt8] { words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    // DVS128: 4 bytes, address (bit 0 = OFF, X and Y mirrored) then 14-bit timestamp; bit 15/14 = wrap/reset.
    public static func dvs128(x: Int, y: Int, on: Bool, t: Int) -> [UInt8] {
        precondition(t < 0x4000)
        let address = (127 - y) << 8 | (127 - x) << 1 | (on ? 0 : 1)
        return [UInt8(address & 0xFF), UInt8(address >> 8), UInt8(t & 0xFF), UInt8(t >> 8)]
    }
    public static let dvs128Wrap: [UInt8] = [0, 0, 0, 0x80]
    public static let dvs128Reset: [UInt8] = [0, 0, 0, 0x40]

    // DAVIS and DVXplorer: 16-bit words.
    public static func timestamp(_ t: Int) -> UInt16 { precondition(t < 0x8000); return 0x8000 | UInt16(t) }
    public static let reset: UInt16 = 0x0001
    public static func wrap(_ n: Int) -> UInt16 { 0x7000 | UInt16(n) }
    public static func davisRow(_ y: Int) -> UInt16 { 0x1000 | UInt16(y) }
    public static func davisColumn(_ x: Int, on: Bool) -> UInt16 { (on ? 0x3000 : 0x2000) | UInt16(x) }
    public static func dvxColumn(_ x: Int) -> UInt16 { 0x1000 | UInt16(x) }
    /// Row groups: G1 = 8·g1, G2 = G1 + 8·offset (negative offsets set bit 11).
    public static func dvxGroups(g1: Int, offset: Int) -> UInt16 {
        0x4000 | UInt16(g1) | UInt16(abs(offset)) << 6 | (offset < 0 ? 0x800 : 0)
    }
    /// An 8-pixel mask for group 1 (code 3) or group 2 (code 2); bit 8 set = OFF.
    public static func dvxMask(group: Int, _ mask: UInt8, on: Bool) -> UInt16 {
        (group == 1 ? 0x3000 : 0x2000) | UInt16(mask) | (on ? 0 : 0x100)
    }
}
