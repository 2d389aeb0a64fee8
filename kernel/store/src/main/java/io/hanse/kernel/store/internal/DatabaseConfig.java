package io.hanse.kernel.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = DatabaseConfig.PID,
        name = "Hanse database",
        description = "The database this instance keeps its state in.")
@interface DatabaseConfig {

    String PID = "io.hanse.database";

    @AttributeDefinition(description = "JDBC URL: jdbc:postgresql://host:port/database or jdbc:h2:file:path."
            + " Empty means the embedded H2 database under the data directory.")
    String url() default "";

    @AttributeDefinition(description = "Database user.")
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password.")
    String password() default "";

    @AttributeDefinition(description = "Most connections kept open at once.", min = "1", max = "200")
    int maxConnections() default 16;

    @AttributeDefinition(description = "Milliseconds to wait for a free connection before failing.", min = "1")
    long connectionWaitMillis() default 10_000;
}
