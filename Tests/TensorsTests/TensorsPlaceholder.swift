import Testing
// Tests for Tensors arrive with its code.
