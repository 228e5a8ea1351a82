package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogSegmentFileNameTest {
    @Test
    void namesAreTheBaseOffsetInTwentyZeroPaddedDigits() {
        assertEquals("00000000000000000000.log", LogSegment.fileName(0, ".log"));
        assertEquals("00000000000000006100.snapshot", LogSegment.fileName(6100, ".snapshot"));
        assertEquals("09223372036854775807.index", LogSegment.fileName(Long.MAX_VALUE, ".index"));
    }
}
