package io.hanse.agent.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import java.math.BigDecimal;

/**
 * One perfdata metric, {@code 'label'=value[UOM];[warn];[crit];[min];[max]}. The thresholds and
 * limits stay text, as the plugin wrote them: thresholds are ranges such as {@code ~:10} or {@code @5:8}.
 *
 * @param label the label, without quotes
 * @param value the value, or {@code null} when the plugin wrote {@code U} (it could not tell)
 * @param unit the unit of measurement, empty when there is none
 * @param warn the warning threshold, or {@code null}
 * @param crit the critical threshold, or {@code null}
 * @param min the smallest possible value, or {@code null}
 * @param max the largest possible value, or {@code null}
 */
public record Metric(String label, BigDecimal value, String unit, String warn, String crit, String min, String max) {

    /** Returns the metric as the protocol's {@code monitoring.result} lists it. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("label", label);
        json.put("value", value);
        json.put("unit", unit);
        json.put("warn", warn);
        json.put("crit", crit);
        json.put("min", min);
        json.put("max", max);
        return json;
    }
}
