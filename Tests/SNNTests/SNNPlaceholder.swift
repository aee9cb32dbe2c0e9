import Testing
// Tests for SNN arrive with its code.
