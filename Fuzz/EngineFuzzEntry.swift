// libFuzzer entry for the engine's readers of user files: OTTT_FUZZ_TARGET names one of
//   safetensors  the bytes as a safetensors file (SafeTensors.decode: header, shapes, offsets, limits);
//   checkpoint   the bytes as a checkpoint file (Checkpoint.load: metadata, spec, tensors, state, finite values);
//   spec         the bytes as network words (NetworkSpec(parsing:): sizes checked against Limits).
// Compiled by tools/fuzz-engine with the InputLimits, Tensors, SNN and Training sources; not part of the package.
// A finding is a crash, a trap, a hang or memory beyond libFuzzer's -rss_limit_mb; thrown errors are the answer.
import Glibc
import SNN
import Tensors
import Training

private let target: String = {
    guard let name = getenv("OTTT_FUZZ_TARGET").map({ String(cString: $0) }),
          ["safetensors", "checkpoint", "spec"].contains(name) else {
        fatalError("set OTTT_FUZZ_TARGET to safetensors, checkpoint or spec")
    }
    return name
}()

private let path: String = {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(dir)/ottt-fuzz-\(getpid()).safetensors"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case "safetensors":
        if let file = try? SafeTensors.decode(bytes, file: "fuzz") {
            for name in file.names {
                _ = try? file.tensor(name)
                _ = try? file.integers(name)
            }
            _ = file.encoded()
        }
    case "checkpoint":
        writeFuzzInput(data, size, to: path)
        do {
            let checkpoint = try Checkpoint.load(from: path)
            for p in checkpoint.network.parameters {
                for i in 0..<p.value.count { precondition(p.value.data[i].isFinite, "non-finite \(p.name) loaded") }
            }
        } catch {
            _ = "\(error)"
        }
    default:
        let text = String(decoding: bytes, as: UTF8.self)
        if let spec = try? NetworkSpec(parsing: text) {
            precondition((try? NetworkSpec(parsing: spec.description)) == spec, "words do not round-trip: \(spec)")
        }
    }
    return 0
}
