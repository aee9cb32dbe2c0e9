import DVSEvents
import Foundation
import Pipeline
import Testing
import Training

@Suite("ClassMemoryMode: a session's class memory, as journals record it")
struct ClassMemoryModeTests {
    static func settings(_ mode: ClassMemoryMode) -> SessionSettings {
        SessionSettings(sensor: SensorSize(width: 8, height: 8), binWidth: 5000, learn: true, classMemory: mode)
    }

    @Test("each mode gives the learner its memory and reads back from it")
    func memory() {
        #expect(ClassMemoryMode.off.memory == nil)
        #expect(ClassMemoryMode.always.memory == ClassMemory())
        #expect(ClassMemoryMode.newClass.memory == ClassMemory.onNewClass())
        for mode in ClassMemoryMode.allCases { #expect(ClassMemoryMode(mode.memory) == mode) }
        #expect(LearningRecipe.standard.classMemory == .newClass)
    }

    @Test("journals keep the mode; those written before the modes read true as always and false or nothing as off")
    func journals() throws {
        for mode in ClassMemoryMode.allCases {
            let s = Self.settings(mode)
            #expect(try JSONDecoder().decode(SessionSettings.self, from: JSONEncoder().encode(s)) == s)
        }
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.settings(.off)))
                                  as? [String: Any])
        for (old, mode) in [(true, ClassMemoryMode.always), (false, .off)] {
            object["classMemory"] = old
            let read = try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
            #expect(read.classMemory == mode)
        }
        object["classMemory"] = "sometimes"
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }
}
