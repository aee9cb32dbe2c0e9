/// libcaer's default readout configuration of the DVXplorer's sensor (`dvXplorerSendDefaultConfig`,
/// ros-event-camera/libcaer src/dvxplorer.c; register addresses from its dvxplorer.h; jAER's DVXplorer.java spells the
/// same writes out register by register): the external trigger resets timestamps, global hold on and global reset
/// off, fixed read time off, events of both polarities unflattened, no subsampling, no area blocking, the readout
/// timings, the cropper and the activity decision bypassed (the whole array, every event), then a restart of the
/// digital block so that the settings take effect. All sensor registers are 8-bit (module 5, wIndex = register).
///
/// Where libcaer changes a few bits of a register it reads the register first; so does this, once per register
/// (libcaer reads the mode control, packet format, enable and subsample registers once per flag). The cropper is
/// written in its final state; libcaer's intermediate write of the Y window on the way there is not repeated. The
/// IMU and the external input are not configured: ottt leaves them off.
extension DVXplorerDriver {
    /// Sensor registers (8-bit) used by the readout configuration.
    enum Register {
        static let packetFormat: UInt16 = 0x3067
        static let digitalEnable: UInt16 = 0x3200
        static let digitalRestart: UInt16 = 0x3201
        static let dualBinning: UInt16 = 0x3202
        static let subsampleRatio: UInt16 = 0x3204
        static let areaBlock: UInt16 = 0x3205                // 20 × 16 bits, high byte first
        static let modeControl: UInt16 = 0x3255
        static let globalResetReadout: UInt16 = 0x3248
        static let fixedReadTime: UInt16 = 0x325C
        static let externalTrigger: UInt16 = 0x3260
        static let cropperBypass: UInt16 = 0x3300
        static let activityDecisionBypass: UInt16 = 0x3500
    }

    /// The DVXplorer Lite's chip identifier: its subsampling counts in half steps and it has no dual binning.
    static let liteChipID = 19

    /// Sends the readout configuration; `geometry` gives the array the cropper lets through.
    func sendReadoutConfiguration(_ control: ControlChannel, geometry: SensorGeometry) throws {
        let lite = chipID == Self.liteChipID
        func write(_ register: UInt16, _ value: UInt32) throws { try control.writeConfig(.chip(register), value) }
        func update(_ register: UInt16, _ change: (UInt32) -> UInt32) throws {
            try write(register, change(try control.readConfig(.chip(register))) & 0xFF)
        }
        /// A 16-bit value in two registers, high byte first.
        func write16(_ register: UInt16, _ value: UInt32) throws {
            try write(register, value >> 8)
            try write(register + 1, value & 0xFF)
        }

        try write(Register.externalTrigger, 0)                         // an external trigger resets timestamps
        try update(Register.modeControl) { $0 & ~0x02 | 0x01 }          // global hold on, global reset off
        try write(Register.globalResetReadout, 0)
        try write(Register.fixedReadTime, 0)
        try update(Register.packetFormat) { $0 & ~0x70 }                // no flattening, both polarities
        try update(Register.digitalEnable) { $0 | 0x06 }                // subsampling and area blocking bypassed
        if !lite { try write(Register.dualBinning, 0) }
        // No subsampling: ratio 0 vertically (bits 3–5) and horizontally (bits 0–2); the Lite counts 2·r + 1.
        try update(Register.subsampleRatio) { $0 & ~0x3F | (lite ? 0x09 : 0x00) }
        for block in 0..<UInt16(20) { try write16(Register.areaBlock + 2 * block, 0x7FFF) }  // nothing blocked

        // Readout timing: ED 2 µs, GH→GRS 0, GRS 1 µs (each ms, µs high, µs low), then single-byte timings.
        for (register, microseconds) in [(0x3240, 2), (0x3244, 0), (0x3256, 1)] as [(UInt16, UInt32)] {
            try write(register, microseconds / 1000)
            try write16(register + 1, microseconds % 1000)
        }
        try write(0x323C, 4)                                            // GH → SEL
        try write(0x324C, 6)                                            // SEL width
        try write(0x324E, 4)                                            // SEL → AY rise
        try write(0x324F, 6)                                            // SEL → AY fall
        try write(0x3253, 8)                                            // SEL → R rise
        try write(0x3254, 10)                                           // SEL → R fall
        try write16(0x3261, 15)                                         // next SEL
        try write(0x3251, 10)                                           // max events: next SEL − 5
        try write(0x324B, 4)                                            // next GH
        try write16(0x325D, 45_000)                                     // fixed read time interval

        // The cropper, bypassed, set to the whole array.
        let (width, height) = (UInt32(geometry.rawWidth), UInt32(geometry.rawHeight))
        try write(Register.cropperBypass, 1)
        try write16(0x3305, 0)                                          // X start
        try write(0x3301, 0)                                            // Y start group and mask
        try write(0x3302, 0xFF)
        try write16(0x3307, width - 1)                                  // X end
        try write(0x3303, (height - 1) / 8)                             // Y end group and mask
        try write(0x3304, 0xFF >> (7 - (height - 1) % 8))

        // The activity decision, bypassed, with libcaer's thresholds.
        try write(Register.activityDecisionBypass, 1)
        try write16(0x3501, 300)                                        // positive threshold
        try write16(0x3503, 20)                                         // negative threshold
        try write(0x3505, 1)                                            // decrement rate
        try write(0x3506, 3)                                            // decrement time
        try write16(0x3513, 300)                                        // positive maximum count

        try write(Register.digitalRestart, 0x02)                        // restart the digital block
    }
}
