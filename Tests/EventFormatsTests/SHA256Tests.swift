import Testing
import TestSupport

/// TestSupport's SHA-256, which checks the fixture digests, must itself be right: FIPS 180-4 test vectors.
@Suite("SHA-256 test helper")
struct SHA256Tests {
    @Test("matches the standard's vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(_ text: String, _ digest: String) {
        #expect(SHA256.hex(Array(text.utf8)) == digest)
    }

    @Test("input fed in uneven pieces hashes as when fed at once")
    func pieces() {
        let bytes = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        var s = SHA256()
        var fed = 0
        var piece = 1
        while fed < bytes.count {
            let n = min(piece, bytes.count - fed)
            s.update(Array(bytes[fed..<(fed + n)]))
            fed += n
            piece = piece * 3 % 200 + 1
        }
        let hex = s.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == SHA256.hex(bytes))
    }
}
