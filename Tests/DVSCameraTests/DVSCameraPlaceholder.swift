import Testing
// Tests for DVSCamera arrive with its code.
