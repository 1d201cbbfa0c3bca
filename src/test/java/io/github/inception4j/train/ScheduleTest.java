package io.github.inception4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void inceptionV3StaircaseDecaysBy094EveryTwoEpochs() {
        Schedule s = Schedule.exponential(0.94, 2);
        assertEquals(0.045, s.rate(0.045, 0, 100), 1e-12);
        assertEquals(0.045, s.rate(0.045, 1.999, 100), 1e-12);
        assertEquals(0.045 * 0.94, s.rate(0.045, 2.0, 100), 1e-12);
        assertEquals(0.045 * 0.94 * 0.94, s.rate(0.045, 5.5, 100), 1e-12);
        assertEquals(0.045 * Math.pow(0.94, 49), s.rate(0.045, 99.9, 100), 1e-12);
    }

    @Test
    void googlenetLosesFourPercentEveryEightEpochs() {
        Schedule s = Schedule.exponential(0.96, 8);
        assertEquals(0.01, s.rate(0.01, 7.9, 60), 1e-12);
        assertEquals(0.0096, s.rate(0.01, 8, 60), 1e-12);
        Schedule smooth = new Schedule("exponential", 0.96, 8, false, 0, 0, 0);
        assertEquals(0.01 * Math.pow(0.96, 0.5), smooth.rate(0.01, 4, 60), 1e-12);
    }

    @Test
    void cosineWithWarmUp() {
        Schedule s = new Schedule("cosine", 1, 1, true, 2, 0.1, 0.001);
        assertEquals(0.01, s.rate(0.1, 0, 12), 1e-12);                // warm-up starts at 0.1·lr
        assertEquals(0.055, s.rate(0.1, 1, 12), 1e-12);               // half way: 0.01 + 0.5·0.09
        assertEquals(0.1, s.rate(0.1, 2, 12), 1e-12);                 // warm-up done: cosine starts at lr
        assertEquals(0.001 + 0.099 / 2, s.rate(0.1, 7, 12), 1e-12);   // half of the 10 cosine epochs
        assertEquals(0.001, s.rate(0.1, 12, 12), 1e-12);
        assertEquals(0.1, Schedule.constant().rate(0.1, 50, 60), 0);
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule("step", 1, 1, true, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponential(1.5, 2));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponential(0.9, 0));
    }
}
