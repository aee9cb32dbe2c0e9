import Testing
// Tests for EventBinning arrive with its code.
