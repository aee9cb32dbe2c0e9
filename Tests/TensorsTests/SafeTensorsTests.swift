import Foundation
import Testing
import TestSupport
import Tensors

@Suite("safetensors reader and writer")
struct SafeTensorsTests {
    @Test("a written file reads back with the same tensors and metadata")
    func roundTrip() throws {
        var file = SafeTensors()
        file.set("a.weight", Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-7, -0]))
        file.set("label", int64s: [3, -1], shape: [2])
        file.metadata = ["spec": "{\"x\": \"quote \\\" and newline \n\"}"]
        let dir = try SharedMaterial.temporaryDirectory()
        let path = dir.appendingPathComponent("t.safetensors").path
        try file.write(path: path)
        let back = try SafeTensors.read(path: path)
        #expect(back.names == ["a.weight", "label"])
        #expect(try back.tensor("a.weight").values == [1, -2, 3.5, 0, 1e-7, -0])
        #expect(try back.tensor("a.weight").shape == [2, 3])
        #expect(try back.integers("label") == [3, -1])
        #expect(back.metadata == file.metadata)
        // The header is padded so the data area starts on an 8-byte boundary.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + n) % 8 == 0)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial-\(getpid())"))
    }

    static func header(_ json: String, data: [UInt8]) -> [UInt8] {
        let h = Array(json.utf8)
        var out: [UInt8] = []
        var n = UInt64(h.count)
        for _ in 0..<8 { out.append(UInt8(n & 0xff)); n >>= 8 }
        return out + h + data
    }

    @Test("malformed files are rejected with the byte offset and what was expected", arguments: [
        ([UInt8](repeating: 0, count: 4), "8-byte header length"),
        (header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data: [0, 0, 0, 0]), "offsets of a"),
        (header("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data: [UInt8](repeating: 0, count: 8)), "12 bytes for a"),
        (header("{\"a\":{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,1]}}", data: [0]), "a dtype among"),
        (header("not json", data: []), "a JSON header"),
        (header("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", data: [0, 0]), "without gaps"),
        (header("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", data: [0, 0]), "extra bytes"),
        ([255, 255, 255, 255, 0, 0, 0, 0, 1, 2], "header length"),
    ])
    func malformed(_ bytes: [UInt8], _ expected: String) {
        #expect {
            _ = try SafeTensors.decode(bytes, file: "x.safetensors")
        } throws: { error in
            let text = "\(error)"
            return text.contains("x.safetensors") && text.contains("at byte") && text.contains(expected)
        }
    }

    @Test("asking for an absent tensor names what the file has")
    func missing() throws {
        var file = SafeTensors()
        file.set("present", Tensor(shape: [1]))
        #expect(throws: SafeTensorsError.missingTensor(name: "absent", available: ["present"])) {
            _ = try file.tensor("absent")
        }
    }

    @Test("the reference file from PyTorch reads", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func readsReference() throws {
        let file = try SafeTensors.read(path: SharedMaterial.reference("ottt_small.safetensors"))
        #expect(try file.tensor("input").shape == [6, 3, 2, 12, 12])
        #expect(try file.integers("label").count == 3)
        #expect(file.metadata["spec"] != nil)
    }
}
