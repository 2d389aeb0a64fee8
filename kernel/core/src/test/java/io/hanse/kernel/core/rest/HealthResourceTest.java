package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.INSTANCE_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.instance.Instance;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.core.internal.Health;
import io.hanse.kernel.core.rest.HealthResource.HealthDetailsDto;
import io.hanse.kernel.core.rest.HealthResource.HealthDto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the health check shows to anyone, and what only to those who may see the instance. */
class HealthResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A database's error, as a driver may word it: naming the host, the user and the schema. */
    private static final String PROBLEM = "cannot be reached: FATAL: password authentication failed for user"
            + " \"hanse_prod\" at db-7.internal.example:5432/hanse";
    private static final Health DOWN = new Health("1.2.0", null, new Health.DatabaseHealth("POSTGRESQL", PROBLEM),
            List.of("io.hanse.monitoring 0.3.0 is resolved but not started"), List.of());
    /** Up, though a configuration value is not allowed: what it configures runs on the value used. */
    private static final Health UP = new Health("1.2.0", new Instance("3978f655", "ops-01", "1.2.0"),
            new Health.DatabaseHealth("H2", null), List.of(),
            List.of("etc/io.hanse.rest.cfg: maxBodyBytes = 100 is below 1024; using 1048576"));

    @Test
    void anyoneSeesOnlyWhetherEachCheckIsUp() throws Exception {
        assertEquals("{\"status\":\"down\",\"checks\":{\"database\":\"down\",\"instance\":\"down\","
                + "\"components\":\"down\"}}", JSON.writeValueAsString(HealthDto.of(DOWN)));
        assertEquals("{\"status\":\"up\",\"checks\":{\"database\":\"up\",\"instance\":\"up\","
                + "\"components\":\"up\"}}", JSON.writeValueAsString(HealthDto.of(UP)),
                "nor the configuration's problems");
    }

    @Test
    void whoMaySeeTheInstanceSeesWhyAndWhatRuns() throws Exception {
        String details = JSON.writeValueAsString(HealthDetailsDto.of(DOWN));

        assertTrue(details.startsWith("{\"status\":\"down\",\"checks\":{\"database\":\"down\","), details);
        assertTrue(details.contains("\"version\":\"1.2.0\""), details);
        assertTrue(details.contains(JSON.writeValueAsString(PROBLEM)), details);
        assertTrue(details.contains("io.hanse.monitoring 0.3.0 is resolved but not started"), details);
        assertTrue(JSON.writeValueAsString(HealthDetailsDto.of(UP)).contains(
                "\"instance\":{\"id\":\"3978f655\",\"name\":\"ops-01\"},\"database\":{\"kind\":\"H2\","
                        + "\"reachable\":true"));
    }

    @Test
    void aConfigurationValueNotAllowedIsShownInTheDetailsAndLeavesTheInstanceUp() throws Exception {
        assertTrue(UP.up());
        assertTrue(JSON.writeValueAsString(HealthDetailsDto.of(UP)).endsWith("\"problems\":[],\"configuration\":"
                + "[\"etc/io.hanse.rest.cfg: maxBodyBytes = 100 is below 1024; using 1048576\"]}"));
    }

    @Test
    void theDetailsNeedInstanceReadAndTheStatusNothing() throws Exception {
        assertTrue(HealthResource.class.getMethod("health").isAnnotationPresent(Public.class));
        RequiresPermission details = HealthResource.class.getMethod("details").getAnnotation(RequiresPermission.class);
        assertEquals(INSTANCE_READ, details.value());
    }
}
