package kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule syntax both the processor and the command line check with. */
class ScheduleSpecTest {
    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ScheduleSpec.parse(text, 20)).getMessage();
    }

    @Test
    void everyKindWithItsDefaultsFilledIn() {
        assertEquals(new ScheduleSpec("step", Map.of("every", 10.0, "gamma", 0.1), null), ScheduleSpec.parse("step:10", 20));
        assertEquals(new ScheduleSpec("step", Map.of("every", 3.0, "gamma", 0.5), null), ScheduleSpec.parse("step:every=3,gamma=0.5", 20));
        assertEquals(new ScheduleSpec("exp", Map.of("gamma", 0.95), null), ScheduleSpec.parse("exponential:0.95", 20));
        ScheduleSpec cosine = ScheduleSpec.parse("cosine:warmup=2", 30);
        assertEquals(30, cosine.value("period"), "the period defaults to the run's epochs");
        assertEquals(2, cosine.value("warmup"));
        assertEquals(0, cosine.value("min"));
        ScheduleSpec plateau = ScheduleSpec.parse("Plateau:factor=0.5,COOLDOWN=2", 20);
        assertEquals(List.of("factor", "patience", "threshold", "cooldown", "min"), List.copyOf(plateau.values().keySet()));
        assertEquals(2, plateau.value("cooldown"));
        assertEquals(10, plateau.value("patience"));
        assertNull(plateau.mode(), "no mode: it follows the monitored figure");
        assertEquals("max", ScheduleSpec.parse("plateau:mode=MAX", 20).mode());
        assertTrue(ScheduleSpec.parse("none", 20).isNone());
        assertTrue(ScheduleSpec.parse("constant", 20).isNone());
        assertTrue(ScheduleSpec.parse(null, 20).isNone());
    }

    @Test
    void errorsStartWithTheKindAndNameTheProblem() {
        assertEquals("cos: unknown schedule; use step, exp, cosine, plateau or none", error("cos"));
        assertEquals("step: needs the epochs between cuts, e.g. step:10 or step:10:0.1", error("step"));
        assertEquals("step: every expects a whole number, got 'abc'", error("step:abc"));
        assertEquals("step: every must be >= 1 epoch, got 0", error("step:0"));
        assertEquals("step: gamma must be a finite number > 0, got -0.5", error("step:10:-0.5"));
        assertEquals("step: gamma is given twice", error("step:10:0.1,gamma=0.2"));
        assertEquals("exp: needs the factor per epoch, e.g. exp:0.95", error("exp"));
        assertEquals("cosine: unknown setting 'warm'; settings: warmup, min, period", error("cosine:warm=2"));
        assertEquals("cosine: '2' needs a name (key=value); settings: warmup, min, period", error("cosine:2"));
        assertEquals("cosine: warmup (20.0 epochs) must be shorter than the period (20.0 epochs)", error("cosine:warmup=20"));
        assertEquals("cosine: min expects a number, got 'low'", error("cosine:min=low"));
        assertEquals("plateau: factor must be in (0, 1), got 2.0", error("plateau:factor=2"));
        assertEquals("plateau: mode must be min or max, got 'up'", error("plateau:mode=up"));
        assertEquals("plateau: patience must be >= 0 epochs, got -1", error("plateau:patience=-1"));
        assertEquals("none: unknown setting 'x'; settings: ", error("none:x=1"));
    }

    @Test
    void namesSharedWithTheRuntime() {
        assertTrue(TrainingNames.isOptimizer(" AdamW "));
        assertTrue(TrainingNames.isText("Shakespeare"));
        assertTrue(TrainingNames.isDataSet("cifar-10"));
        for (String kind : TrainingNames.SCHEDULES) {
            if (!kind.equals("step") && !kind.equals("exp")) assertEquals(kind, ScheduleSpec.parse(kind, 5).kind());
        }
    }
}
