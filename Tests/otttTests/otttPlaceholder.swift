import Testing
// Tests for ottt arrive with its code.
