import Testing
// Tests for DVSSimulator arrive with its code.
