import Testing
// Tests for Pipeline arrive with its code.
