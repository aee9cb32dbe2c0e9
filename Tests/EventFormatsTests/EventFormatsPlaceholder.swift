import Testing
// Tests for EventFormats arrive with its code.
