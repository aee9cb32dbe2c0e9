/// GIF's variable-length LZW (GIF89a §22 and Appendix F): palette indices to codes of 3 to 12 bits, packed least
/// significant bit first. A clear code starts each image and each time the 4096-entry table fills.
enum GIFCompression {
    /// The smallest code size for a palette of `colours` entries: at least 2 (the format's minimum).
    static func minimumCodeSize(colours: Int) -> Int {
        var bits = 2
        while (1 << bits) < colours { bits += 1 }
        return bits
    }

    /// The LZW code stream of `indices` (each below 2^`minimumCodeSize`), without the sub-block framing.
    static func compress(_ indices: [UInt8], minimumCodeSize: Int) -> [UInt8] {
        precondition((2...8).contains(minimumCodeSize), "GIF code sizes start at 2 to 8 bits, got \(minimumCodeSize)")
        let clear = 1 << minimumCodeSize, end = clear + 1
        // The table as a trie: child[code << 8 | byte] is the code of (code's string + byte), 0 when absent.
        var child = [UInt16](repeating: 0, count: 4096 << 8)
        var used: [Int] = []                     // the slots of `child` set since the last clear, to reset them
        used.reserveCapacity(4096)
        var out: [UInt8] = []
        out.reserveCapacity(indices.count / 2 + 16)
        var bits: UInt32 = 0, bitCount = 0
        var codeSize = minimumCodeSize + 1, next = end + 1
        func emit(_ code: Int) {
            bits |= UInt32(code) << UInt32(bitCount)
            bitCount += codeSize
            while bitCount >= 8 {
                out.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
                bitCount -= 8
            }
        }
        emit(clear)
        guard var prefix = indices.first.map(Int.init) else {
            emit(end)
            if bitCount > 0 { out.append(UInt8(truncatingIfNeeded: bits)) }
            return out
        }
        precondition(prefix < clear, "palette index \(prefix) does not fit \(minimumCodeSize) bits")
        for index in indices.dropFirst() {
            let byte = Int(index)
            precondition(byte < clear, "palette index \(byte) does not fit \(minimumCodeSize) bits")
            let slot = prefix << 8 | byte
            if child[slot] != 0 { prefix = Int(child[slot]); continue }
            emit(prefix)
            if next < 4096 {
                child[slot] = UInt16(next)
                used.append(slot)
                next += 1
                if next > (1 << codeSize) && codeSize < 12 { codeSize += 1 }
            } else {
                emit(clear)
                for s in used { child[s] = 0 }
                used.removeAll(keepingCapacity: true)
                codeSize = minimumCodeSize + 1
                next = end + 1
            }
            prefix = byte
        }
        emit(prefix)
        // A decoder adds an entry on reading that last code, and may widen its codes before the end code.
        if next < 4096 && next + 1 > (1 << codeSize) && codeSize < 12 { codeSize += 1 }
        emit(end)
        if bitCount > 0 { out.append(UInt8(truncatingIfNeeded: bits)) }
        return out
    }

    /// `data` framed as GIF sub-blocks (a length byte, up to 255 bytes) and the zero-length block that ends them.
    static func subBlocks(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + data.count / 255 + 2)
        var i = 0
        while i < data.count {
            let n = min(255, data.count - i)
            out.append(UInt8(n))
            out.append(contentsOf: data[i..<(i + n)])
            i += n
        }
        out.append(0)
        return out
    }
}
