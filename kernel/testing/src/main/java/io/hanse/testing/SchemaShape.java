package io.hanse.testing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a schema is made of, as JDBC metadata tells it, in a form two databases of the same product
 * can be compared by: tables, columns with their types, sizes, nullability and defaults, primary and
 * foreign keys, indexes and the constraints the information schema lists. Liquibase's own tables are
 * left out; names H2 generates for unnamed constraints and their indexes are replaced by what they
 * are on, as they count up with every constraint ever created.
 * <p>
 * Needs nothing but JDBC metadata; {@link ChangeLogHistory} compares migrated databases by it.
 */
public final class SchemaShape {

    private static final Pattern GENERATED = Pattern.compile(
            "(?i)(PRIMARY_KEY_[0-9A-F]+|CONSTRAINT_[0-9A-F]+|CONSTRAINT_INDEX_[0-9A-F]+|.*_INDEX_[0-9A-F]+)");

    private SchemaShape() {
    }

    /** Returns one line per column, key, index and constraint, sorted, keyed by table. */
    public static Map<String, TreeSet<String>> of(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = connection.getSchema();
        Map<String, TreeSet<String>> shape = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                String table = rows.getString("TABLE_NAME");
                if (!table.toLowerCase(Locale.ROOT).startsWith("databasechangelog")) {
                    tables.add(table);
                }
            }
        }
        for (String table : tables) {
            TreeSet<String> lines = new TreeSet<>();
            shape.put(table.toLowerCase(Locale.ROOT), lines);
            try (ResultSet rows = meta.getColumns(null, schema, table, "%")) {
                while (rows.next()) {
                    lines.add("column " + name(rows.getString("COLUMN_NAME")) + " " + rows.getString("TYPE_NAME")
                            + "(" + rows.getInt("COLUMN_SIZE") + "," + rows.getInt("DECIMAL_DIGITS") + ") nullable="
                            + rows.getString("IS_NULLABLE") + " default=" + rows.getString("COLUMN_DEF"));
                }
            }
            Map<String, List<String>> keys = new TreeMap<>();
            try (ResultSet rows = meta.getPrimaryKeys(null, schema, table)) {
                while (rows.next()) {
                    keys.computeIfAbsent("primary key " + name(rows.getString("PK_NAME")), k -> new ArrayList<>())
                            .add(rows.getShort("KEY_SEQ") + ":" + name(rows.getString("COLUMN_NAME")));
                }
            }
            try (ResultSet rows = meta.getImportedKeys(null, schema, table)) {
                while (rows.next()) {
                    keys.computeIfAbsent("foreign key " + name(rows.getString("FK_NAME")) + " -> "
                            + name(rows.getString("PKTABLE_NAME")) + " delete=" + rows.getShort("DELETE_RULE"),
                            k -> new ArrayList<>())
                            .add(rows.getShort("KEY_SEQ") + ":" + name(rows.getString("FKCOLUMN_NAME")) + "="
                                    + name(rows.getString("PKCOLUMN_NAME")));
                }
            }
            try (ResultSet rows = meta.getIndexInfo(null, schema, table, false, false)) {
                while (rows.next()) {
                    if (rows.getString("INDEX_NAME") == null) {
                        continue;
                    }
                    String column = rows.getString("COLUMN_NAME");
                    keys.computeIfAbsent("index " + name(rows.getString("INDEX_NAME")) + " unique="
                            + !rows.getBoolean("NON_UNIQUE"), k -> new ArrayList<>())
                            .add(rows.getShort("ORDINAL_POSITION") + ":" + (column == null ? "(expression)"
                                    : name(column)) + " " + rows.getString("ASC_OR_DESC"));
                }
            }
            keys.forEach((key, columns) -> {
                columns.sort(null);
                lines.add(key + " " + columns);
            });
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT constraint_name, constraint_type"
                            + " FROM information_schema.table_constraints WHERE table_schema = '" + schema
                            + "' AND table_name = '" + table + "'")) {
                while (rows.next()) {
                    String constraint = rows.getString(1);
                    // PostgreSQL lists its NOT NULL checks, named by the column's position, too.
                    if (!constraint.matches("\\d+_\\d+_\\d+_not_null")) {
                        lines.add("constraint " + rows.getString(2) + " " + name(constraint));
                    }
                }
            }
        }
        return shape;
    }

    private static String name(String name) {
        if (name == null) {
            return "-";
        }
        return GENERATED.matcher(name).matches() ? "(generated)" : name.toLowerCase(Locale.ROOT);
    }
}
