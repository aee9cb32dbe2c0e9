import Testing
// Tests for Training arrive with its code.
