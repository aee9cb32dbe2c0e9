import Testing
// Tests for Datasets arrive with its code.
