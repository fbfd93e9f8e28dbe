package kiln.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import kiln.dsl.ScheduleSpec;
import kiln.dsl.TrainingNames;
import kiln.runtime.Param;
import kiln.runtime.data.DataSources;
import kiln.runtime.optim.LearningRateSchedule;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.text.TextSources;
import org.junit.jupiter.api.Test;

/** Every name the processor accepts from a declaration, the runtime can build. */
class TrainingNamesTest {
    @Test
    void everyDeclaredNameHasItsRuntimeCounterpart() {
        List<Param> params = List.of(new Param("w", false, 2));
        for (String name : TrainingNames.OPTIMIZERS) assertNotNull(Optimizers.create(name, params, 0.1), name);
        for (String name : TrainingNames.DATA_SETS) assertNotNull(DataSources.named(name), name);
        for (String name : TrainingNames.TEXTS) assertNotNull(TextSources.named(name), name);
        for (String kind : TrainingNames.SCHEDULES) {
            String spec = switch (kind) {
                case "step" -> "step:2";
                case "exp" -> "exp:0.9";
                default -> kind;
            };
            LearningRateSchedule schedule = LearningRateSchedule.of(ScheduleSpec.parse(spec, 10), false);
            if (kind.equals("none")) assertNull(schedule); else assertNotNull(schedule, kind);
        }
        assertEquals(TrainingNames.OPTIMIZERS, Optimizers.NAMES);
    }
}
