package io.hanse.monitoring.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How check results are judged, from {@code etc/io.hanse.monitoring.cfg}. */
@ObjectClassDefinition(id = MonitoringConfig.PID, name = "Hanse monitoring")
public @interface MonitoringConfig {

    String PID = "io.hanse.monitoring";

    @AttributeDefinition(description = "After how many failing results in a row a problem is hard, unless a check's"
            + " policy or its agent says otherwise", min = "1", max = "100")
    int maxAttempts() default 3;

    @AttributeDefinition(description = "The interval in seconds of a check whose agent does not say", min = "1")
    int intervalSeconds() default 60;

    @AttributeDefinition(description = "A check is stale when no result came within its interval times this")
    double staleTolerance() default 2.5;

    @AttributeDefinition(description = "A flapping check stops flapping below this share of status changes over its"
            + " last 20 results, in percent")
    double flapLow() default 25;

    @AttributeDefinition(description = "A check starts flapping above this share, in percent")
    double flapHigh() default 30;

    @AttributeDefinition(description = "How often staleness, expired acknowledgements and downtime windows are"
            + " looked at, in seconds", min = "1")
    int sweepSeconds() default 10;

    @AttributeDefinition(description = "Checks' history older than this many days is deleted, but for each check's"
            + " last hard change before then, which availability starts from", min = "30")
    int historyDays() default 400;
}
