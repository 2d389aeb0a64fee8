package io.hanse.kernel.rest.internal;

import static io.hanse.kernel.rest.internal.RestApplication.MAPPER;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.glassfish.jersey.server.model.Invocable;
import org.glassfish.jersey.server.model.Parameter;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * The OpenAPI 3.0.3 description of a REST application, built from Jersey's model of its resource
 * classes, so it describes exactly the endpoints that are served: one operation per resource
 * method, with sub-resources and the resources their locators return. Bodies are described from
 * their Java types as Jackson writes them with {@link RestApplication#MAPPER}: records become
 * component schemas by their components, enums by their values; every operation may answer with
 * the one problem document of {@link Problem}.
 */
final class OpenApiDocument {

    private static final String TITLE = "Hanse API";
    private static final String PROBLEM = "Problem";
    /** Where each operation names the permission it needs. */
    static final String PERMISSION_EXTENSION = "x-hanse-permission";
    private static final String BEARER = "bearer";
    /** The methods OpenAPI 3.0 can describe, in the order operations are listed. */
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");
    /** A path variable with an optional regular expression, which may hold quantifiers such as {@code {1,3}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\{\\s*([^\\s:{}]+)\\s*(?::(?:[^{}]|\\{[^{}]*})*)?}");
    private static final Map<Parameter.Source, String> LOCATIONS = Map.of(Parameter.Source.PATH, "path",
            Parameter.Source.QUERY, "query", Parameter.Source.HEADER, "header", Parameter.Source.COOKIE, "cookie");
    /** Schemas of the types Jackson writes as JSON strings, numbers and booleans; copied for each use. */
    private static final Map<Class<?>, ObjectNode> SCALARS = scalars();

    /** Path, then method, then operation; sorted, so the document reads the same however resources arrive. */
    private final Map<String, Map<String, ObjectNode>> paths = new TreeMap<>();
    private final Map<String, ObjectNode> schemas = new TreeMap<>();
    private final Map<Class<?>, String> schemaNames = new HashMap<>();
    private final Set<String> operationIds = new HashSet<>();

    private OpenApiDocument() {
    }

    /**
     * Describes the endpoints of the given resource classes.
     *
     * @param version the version of the API, as the document's {@code info.version}
     * @param server the path the application is served under, such as {@code /api/v1}
     * @param resourceClasses the classes of the application's root resources
     */
    static ObjectNode describe(String version, String server, Collection<Class<?>> resourceClasses) {
        OpenApiDocument document = new OpenApiDocument();
        document.schemaOf(Problem.class); // first, so that it keeps its short name
        for (Class<?> resourceClass : resourceClasses) {
            Resource resource = Resource.from(resourceClass);
            // Jersey serves only classes with a path and at least one resource method.
            if (resource != null && resource.getPath() != null) {
                document.add(resource, join("", resource.getPath()), List.of(), Set.of(resourceClass));
            }
        }
        return document.toJson(version, server);
    }

    /** Adds the operations of a resource served at {@code path}, its children and what its locator returns. */
    private void add(Resource resource, String path, List<Parameter> inherited, Set<Class<?>> locating) {
        resource.getResourceMethods().forEach(method -> addOperation(path, method, inherited));
        resource.getChildResources().forEach(child -> add(child, join(path, child.getPath()), inherited, locating));
        ResourceMethod locator = resource.getResourceLocator();
        if (locator == null) {
            return;
        }
        Class<?> located = locator.getInvocable().getRawResponseType();
        // A locator declared to return Object chooses its class at run time and cannot be described.
        Resource subResource = locating.contains(located) ? null : Resource.from(located);
        if (subResource != null) {
            // The class's own @Path does not apply to a sub-resource: the locator's path does.
            add(subResource, path,
                    Stream.concat(inherited.stream(), locator.getInvocable().getParameters().stream()).toList(),
                    Stream.concat(locating.stream(), Stream.of(located)).collect(Collectors.toSet()));
        }
    }

    private void addOperation(String path, ResourceMethod method, List<Parameter> inherited) {
        String httpMethod = method.getHttpMethod().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(httpMethod)) {
            return; // a custom method, which OpenAPI 3.0 has no place for
        }
        Invocable invocable = method.getInvocable();
        String name = invocable.getHandlingMethod().getName();
        ObjectNode operation = MAPPER.createObjectNode();
        operation.put("operationId", uniqueOperationId(
                invocable.getHandler().getHandlerClass().getSimpleName() + "." + name));
        if (path.length() > 1) {
            operation.putArray("tags").add(path.substring(1).split("/")[0]);
        }
        operation.put("summary", sentence(name));
        describeSecurity(operation, invocable.getDefinitionMethod());
        List<Parameter> parameters = Stream.concat(inherited.stream(), invocable.getParameters().stream()).toList();
        ArrayNode described = parameters(path, parameters);
        if (!described.isEmpty()) {
            operation.set("parameters", described);
        }
        parameters.stream().filter(parameter -> parameter.getSource() == Parameter.Source.ENTITY).findFirst()
                .ifPresent(entity -> operation.putObject("requestBody").put("required", true)
                        .set("content", content(mediaTypes(method.getConsumedTypes(), MediaType.APPLICATION_JSON),
                                schemaOf(entity.getType()))));
        operation.set("responses", responses(method));
        paths.computeIfAbsent(path.isEmpty() ? "/" : path,
                        key -> new TreeMap<>(Comparator.comparingInt(METHODS::indexOf)))
                .put(httpMethod, operation);
    }

    /**
     * A public method needs no credentials (an empty {@code security}); any other names the
     * permission it needs in {@code x-hanse-permission}, with the parameter that names the system
     * it is needed on. A method with neither is refused to everyone, and shows no permission.
     */
    private static void describeSecurity(ObjectNode operation, Method method) {
        if (method.isAnnotationPresent(Public.class)) {
            operation.putArray("security");
            return;
        }
        RequiresPermission required = method.getAnnotation(RequiresPermission.class);
        if (required != null) {
            ObjectNode permission = operation.putObject(PERMISSION_EXTENSION).put("name", required.value());
            if (!required.system().isEmpty()) {
                permission.put("system", required.system());
            }
            if (required.everywhere()) {
                permission.put("everywhere", true);
            }
        }
    }

    private ArrayNode parameters(String path, List<Parameter> parameters) {
        // Keyed by place and name: a method's parameter replaces the same one declared by its locator.
        Map<String, ObjectNode> described = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            String in = LOCATIONS.get(parameter.getSource());
            if (in != null) {
                ObjectNode schema = parameterSchema(parameter.getType());
                if (parameter.hasDefaultValue()) {
                    schema.set("default", typed(schema, parameter.getDefaultValue()));
                }
                described.put(in + " " + parameter.getSourceName(), parameter(parameter.getSourceName(), in, schema));
            }
        }
        // OpenAPI requires every path variable to be described, even one the method does not read.
        Matcher variables = VARIABLE.matcher(path);
        while (variables.find()) {
            described.putIfAbsent("path " + variables.group(1),
                    parameter(variables.group(1), "path", scalar("string", null)));
        }
        return MAPPER.createArrayNode().addAll(described.values());
    }

    private static ObjectNode parameter(String name, String in, ObjectNode schema) {
        ObjectNode parameter = MAPPER.createObjectNode().put("name", name).put("in", in);
        if (in.equals("path")) {
            parameter.put("required", true);
        }
        parameter.set("schema", schema);
        return parameter;
    }

    /** Jersey reads parameters from text: scalars and enums, collections of them, anything else as a string. */
    private static ObjectNode parameterSchema(Type type) {
        Class<?> raw = rawClass(type);
        if (Collection.class.isAssignableFrom(raw)) {
            return scalar("array", null).set("items", parameterSchema(typeArgument(type, 0)));
        }
        if (raw.isEnum()) {
            // Read with valueOf, so by the constants' Java names, whatever their JSON names.
            return enumOf(Stream.of(raw.getEnumConstants()).map(constant -> ((Enum<?>) constant).name()));
        }
        return SCALARS.containsKey(raw) ? SCALARS.get(raw).deepCopy() : scalar("string", null);
    }

    /** A default value in the JSON type of its schema. */
    private static JsonNode typed(ObjectNode schema, String value) {
        try {
            return switch (schema.path("type").asText()) {
                case "integer" -> MAPPER.getNodeFactory().numberNode(new BigInteger(value));
                case "number" -> MAPPER.getNodeFactory().numberNode(new BigDecimal(value));
                case "boolean" -> MAPPER.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
                case "array" -> MAPPER.createArrayNode().add(typed((ObjectNode) schema.get("items"), value));
                default -> MAPPER.getNodeFactory().textNode(value);
            };
        } catch (NumberFormatException e) {
            // Jersey refuses such a default when the parameter is missing; show it as written.
            return MAPPER.getNodeFactory().textNode(value);
        }
    }

    private ObjectNode responses(ResourceMethod method) {
        ObjectNode responses = MAPPER.createObjectNode();
        Invocable invocable = method.getInvocable();
        List<String> produced = mediaTypes(method.getProducedTypes(), MediaType.WILDCARD);
        if (method.isSse()) {
            responses.putObject("200").put("description", "A stream of server-sent events")
                    .set("content", content(List.of(MediaType.SERVER_SENT_EVENTS), null));
        } else if (method.isSuspendDeclared() || Response.class.isAssignableFrom(invocable.getRawResponseType())) {
            // The method chooses status and body at run time: any success, shape not declared.
            responses.putObject("2XX").put("description", "Success; the status and body are chosen at run time")
                    .set("content", content(produced, null));
        } else if (invocable.getRawResponseType() == void.class) {
            responses.putObject("204").put("description", "No content");
        } else {
            responses.putObject("200").put("description", "OK")
                    .set("content", content(produced, schemaOf(invocable.getResponseType())));
        }
        responses.putObject("default").put("$ref", "#/components/responses/" + PROBLEM);
        return responses;
    }

    private static List<String> mediaTypes(List<MediaType> declared, String fallback) {
        return declared.isEmpty() ? List.of(fallback) : declared.stream().map(MediaType::toString).toList();
    }

    /** A content map with the same schema for each media type, or with none where the body has no schema. */
    private static ObjectNode content(List<String> mediaTypes, ObjectNode schema) {
        ObjectNode content = MAPPER.createObjectNode();
        for (String mediaType : mediaTypes) {
            ObjectNode entry = content.putObject(mediaType);
            if (schema != null) {
                entry.set("schema", schema);
            }
        }
        return content;
    }

    /** The schema of a Java type as Jackson writes it; records and enums by reference to a component. */
    private ObjectNode schemaOf(Type type) {
        Class<?> raw = rawClass(type);
        if (raw == Optional.class) {
            return schemaOf(typeArgument(type, 0));
        }
        if (Collection.class.isAssignableFrom(raw)) {
            ObjectNode array = scalar("array", null).set("items", schemaOf(typeArgument(type, 0)));
            return Set.class.isAssignableFrom(raw) ? array.put("uniqueItems", true) : array;
        }
        if (Map.class.isAssignableFrom(raw)) {
            return scalar("object", null).set("additionalProperties", schemaOf(typeArgument(type, 1)));
        }
        if (raw == byte[].class) {
            return scalar("string", "byte"); // Jackson writes bytes as base64
        }
        if (raw.isArray()) {
            return scalar("array", null).set("items", schemaOf(raw.getComponentType()));
        }
        if (raw == Duration.class) {
            return MAPPER.isEnabled(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    ? scalar("number", null).put("description", "seconds")
                    : scalar("string", "duration");
        }
        if (SCALARS.containsKey(raw)) {
            return SCALARS.get(raw).deepCopy();
        }
        if (raw.isRecord() || raw.isEnum()) {
            return MAPPER.createObjectNode().put("$ref", "#/components/schemas/" + component(raw));
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return MAPPER.createObjectNode(); // any JSON value
        }
        return scalar("object", null); // neither a record nor an enum: its fields are not described
    }

    /** The name of the component schema of a record or enum, described on first use. */
    private String component(Class<?> type) {
        String name = schemaNames.get(type);
        if (name == null) {
            // Two plugins may both have a Note: the second is named in full.
            name = schemaNames.containsValue(type.getSimpleName()) ? type.getName().replace('$', '.')
                    : type.getSimpleName();
            // Named before it is described, so that a type referring to itself finds its reference.
            schemaNames.put(type, name);
            schemas.put(name, type.isEnum()
                    ? enumOf(Stream.of(type.getEnumConstants())
                            .map(constant -> jsonName(declaredField(type, ((Enum<?>) constant).name()))))
                    : recordSchema(type));
        }
        return name;
    }

    private ObjectNode recordSchema(Class<?> record) {
        ObjectNode schema = scalar("object", null);
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = MAPPER.createArrayNode();
        for (RecordComponent component : record.getRecordComponents()) {
            Field field = declaredField(record, component.getName());
            String name = jsonName(field);
            // A raw value is JSON the record holds as text, written as it is.
            properties.set(name, field.isAnnotationPresent(JsonRawValue.class) ? MAPPER.createObjectNode()
                    : schemaOf(component.getGenericType()));
            // Absent fields are left out (NON_NULL); only a primitive is always there.
            if (component.getType().isPrimitive()) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static ObjectNode enumOf(Stream<String> values) {
        ObjectNode schema = scalar("string", null);
        values.forEach(schema.putArray("enum")::add);
        return schema;
    }

    /** A record component or enum constant's name in JSON; annotations on a record component land on its field. */
    private static String jsonName(Field field) {
        JsonProperty property = field.getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : field.getName();
    }

    private static Field declaredField(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(type.getName() + " has no field for its component " + name, e);
        }
    }

    private static ObjectNode scalar(String type, String format) {
        ObjectNode schema = MAPPER.createObjectNode().put("type", type);
        return format == null ? schema : schema.put("format", format);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> plain) {
            return plain;
        }
        if (type instanceof ParameterizedType parameterized) {
            return rawClass(parameterized.getRawType());
        }
        if (type instanceof WildcardType wildcard) {
            return rawClass(wildcard.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> variable) {
            return rawClass(variable.getBounds()[0]);
        }
        return Object.class; // a generic array, described as any value
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[index]
                : Object.class;
    }

    private String uniqueOperationId(String wanted) {
        String id = wanted;
        for (int n = 2; !operationIds.add(id); n++) {
            id = wanted + "_" + n;
        }
        return id;
    }

    /** {@code listSystems} becomes "List systems". */
    private static String sentence(String methodName) {
        String words = String.join(" ", methodName.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])"))
                .toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** Appends a path of the model to a base, without regular expressions or surplus slashes. */
    private static String join(String base, String path) {
        String segment = VARIABLE.matcher(path == null ? "" : path).replaceAll("{$1}").replaceAll("^/+|/+$", "");
        return segment.isEmpty() ? base : base + "/" + segment;
    }

    private ObjectNode toJson(String version, String server) {
        ObjectNode document = MAPPER.createObjectNode().put("openapi", "3.0.3");
        document.putObject("info").put("title", TITLE).put("version", version);
        document.putArray("servers").addObject().put("url", server);
        ObjectNode pathItems = document.putObject("paths");
        paths.forEach((path, operations) -> pathItems.putObject(path).setAll(operations));
        document.putArray("security").addObject().putArray(BEARER);
        ObjectNode components = document.putObject("components");
        components.putObject("securitySchemes").putObject(BEARER).put("type", "http").put("scheme", "bearer")
                .put("description", "An API token: security:token-create or POST /api/v1/security/tokens");
        components.putObject("schemas").setAll(schemas);
        components.putObject("responses").putObject(PROBLEM)
                .put("description", "The request failed; the problem says why (RFC 9457)")
                .set("content", content(List.of(Problem.MEDIA_TYPE), schemaOf(Problem.class)));
        return document;
    }

    private static Map<Class<?>, ObjectNode> scalars() {
        Map<Class<?>, ObjectNode> scalars = new HashMap<>();
        Stream.of(String.class, char.class, Character.class)
                .forEach(type -> scalars.put(type, scalar("string", null)));
        Stream.of(boolean.class, Boolean.class).forEach(type -> scalars.put(type, scalar("boolean", null)));
        Stream.of(int.class, Integer.class, short.class, Short.class, byte.class, Byte.class)
                .forEach(type -> scalars.put(type, scalar("integer", "int32")));
        Stream.of(long.class, Long.class).forEach(type -> scalars.put(type, scalar("integer", "int64")));
        Stream.of(float.class, Float.class).forEach(type -> scalars.put(type, scalar("number", "float")));
        Stream.of(double.class, Double.class).forEach(type -> scalars.put(type, scalar("number", "double")));
        scalars.put(BigInteger.class, scalar("integer", null));
        scalars.put(BigDecimal.class, scalar("number", null));
        Stream.of(Instant.class, OffsetDateTime.class, ZonedDateTime.class)
                .forEach(type -> scalars.put(type, scalar("string", "date-time")));
        scalars.put(LocalDate.class, scalar("string", "date"));
        scalars.put(UUID.class, scalar("string", "uuid"));
        scalars.put(URI.class, scalar("string", "uri"));
        return Map.copyOf(scalars);
    }
}
