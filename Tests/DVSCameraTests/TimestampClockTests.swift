import Testing
@testable import DVSCamera

@Suite("Timestamp clock")
struct TimestampClockTests {
    @Test("stamps add to the wrap base; wraps move the base; reset clears both")
    func basics() {
        var c = TimestampClock()
        c.stamp(low: 10)
        #expect(c.current == 10)
        c.wrap(by: 0x8000)
        #expect(c.current == 0x8000 && c.wrapAdd == 0x8000)
        c.stamp(low: 1)
        #expect(c.current == 0x8001)
        c.reset()
        #expect(c.current == 0 && c.wrapAdd == 0 && c.resets == 1)
        c.stamp(low: 3)
        #expect(c.current == 3 && c.backwardSteps == 0)
        c.stamp(low: 2)
        #expect(c.backwardSteps == 1)
    }
}
