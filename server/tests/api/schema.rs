//! The two migration folders (`migrations/sqlite`, `migrations/postgres`)
//! must describe one schema. Each backend is migrated, its catalogue is read
//! back into the same backend-neutral [`Schema`], and the two are compared, so
//! a column, key, index, foreign key or check written into one folder only
//! fails here, with every difference named.
//!
//! Dialect spellings are mapped to one neutral form: SQLite's `INTEGER
//! PRIMARY KEY` (an alias of the rowid) and PostgreSQL's identity or serial
//! columns are both a `bigint` generated key; SQLite's `INTEGER`/`BIGINT` are
//! `bigint` (SQLite integers are 64-bit whatever the declared name); other
//! type names (`TEXT`, `BOOLEAN`) are compared as declared, lower-cased.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
};

use app::server::repo::Database;

use crate::helpers::{fresh_database, DatabaseGuard, TestBackend};

#[tokio::test]
async fn both_migration_folders_build_the_same_schema() {
    let ((sqlite, _sqlite_guard), (postgres, _postgres_guard)) = migrated_pair().await;
    let (sqlite_schema, postgres_schema) = (describe(&sqlite).await, describe(&postgres).await);

    assert_describes_the_migrations(&sqlite_schema);
    assert_describes_the_migrations(&postgres_schema);
    let differences = schema_differences(&sqlite_schema, &postgres_schema);
    assert!(
        differences.is_empty(),
        "migrations/sqlite and migrations/postgres describe different schemas:\n  {}",
        differences.join("\n  ")
    );
}

// The comparison must be able to fail: each change below, made on one backend
// only, has to show up as a difference naming what changed.

#[tokio::test]
async fn a_change_on_sqlite_only_is_reported() {
    let differences = differences_after_changing(
        &[
            "ALTER TABLE cases ADD COLUMN archived_at BIGINT",
            "CREATE INDEX cases_by_status ON cases (status)",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT CHECK (body <> ''))",
        ],
        &[],
    )
    .await;

    assert_reported(
        &differences,
        &[
            "table cases, column archived_at: SQLite bigint NULL, PostgreSQL missing",
            "table cases, index cases_by_status: SQLite INDEX (status), PostgreSQL missing",
            "table notes: only on SQLite",
        ],
    );
}

#[tokio::test]
async fn a_change_on_postgres_only_is_reported() {
    let differences = differences_after_changing(
        &[],
        &[
            "ALTER TABLE users ALTER COLUMN disabled_at SET NOT NULL",
            "ALTER TABLE users ALTER COLUMN is_admin SET DEFAULT TRUE",
            "ALTER TABLE users DROP CONSTRAINT users_email_key",
            "ALTER TABLE sessions ALTER COLUMN client_ip TYPE VARCHAR(45)",
            "ALTER TABLE reactions DROP CONSTRAINT reactions_intensity_check",
            "ALTER TABLE reactions ADD CHECK (intensity BETWEEN 1 AND 7)",
            "ALTER TABLE drafts DROP CONSTRAINT drafts_case_id_fkey",
            "ALTER TABLE drafts ADD FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE SET NULL",
            "ALTER TABLE drafts DROP CONSTRAINT drafts_pkey",
            "ALTER TABLE audit_events ALTER COLUMN id DROP IDENTITY",
            "DROP INDEX sessions_by_user",
            "CREATE INDEX sessions_by_user ON sessions (user_id, created_at)",
            "CREATE UNIQUE INDEX audit_events_by_time_unique ON audit_events (occurred_at)",
        ],
    )
    .await;

    assert_reported(
        &differences,
        &[
            "table users, column disabled_at: SQLite bigint NULL, PostgreSQL bigint NOT NULL",
            "table users, column is_admin: SQLite boolean NOT NULL DEFAULT false, \
             PostgreSQL boolean NOT NULL DEFAULT true",
            "table users, unique (email): SQLite present, PostgreSQL missing",
            "table sessions, column client_ip: SQLite text NOT NULL, \
             PostgreSQL character varying NOT NULL",
            "table reactions, CHECK using intensity with 1, 5: SQLite 1, PostgreSQL missing",
            "table reactions, CHECK using intensity with 1, 7: SQLite missing, PostgreSQL 1",
            "table drafts, foreign key (case_id) → cases (id) ON DELETE CASCADE ON UPDATE NO ACTION: \
             SQLite present, PostgreSQL missing",
            "table drafts, foreign key (case_id) → cases (id) ON DELETE SET NULL ON UPDATE NO ACTION: \
             SQLite missing, PostgreSQL present",
            "table drafts, primary key: SQLite (owner_id, case_id, reflection_id), PostgreSQL ()",
            "table audit_events, column id: SQLite bigint NOT NULL generated key, \
             PostgreSQL bigint NOT NULL",
            "table sessions, index sessions_by_user: SQLite INDEX (user_id), \
             PostgreSQL INDEX (user_id, created_at)",
            "table audit_events, index audit_events_by_time_unique: SQLite missing, \
             PostgreSQL UNIQUE INDEX (occurred_at)",
        ],
    );
}

#[test]
fn both_spellings_of_a_check_have_one_signature() {
    let columns = BTreeSet::from(["minute".to_string()]);
    let from_sqlite =
        sqlite_check_bodies("CREATE TABLE t (minute BIGINT CHECK (minute BETWEEN 0 AND 120))");
    let from_postgres = "CHECK (((minute >= 0) AND (minute <= 120)))";

    assert_eq!(from_sqlite.len(), 1);
    assert_eq!(
        CheckSignature::of(&from_sqlite[0], &columns),
        CheckSignature::of(&sql_tokens(from_postgres), &columns)
    );
}

#[test]
fn checks_are_found_outside_comments_and_strings_only() {
    let bodies = sqlite_check_bodies(
        "CREATE TABLE t (\n\
         a BIGINT, -- check (a > 0) is not wanted\n\
         b TEXT DEFAULT 'check (b)' /* check (b) */,\n\
         CHECK (a > -1))",
    );
    let columns = BTreeSet::from(["a".to_string(), "b".to_string()]);

    let signatures: Vec<String> = bodies
        .iter()
        .map(|body| CheckSignature::of(body, &columns).to_string())
        .collect();
    assert_eq!(signatures, ["CHECK using a with -1"]);
}

#[test]
fn postgres_casts_and_sqlite_spellings_give_one_default() {
    assert_eq!(neutral_default("FALSE"), neutral_default("false"));
    assert_eq!(neutral_default("-1"), neutral_default("'-1'::integer"));
    assert_eq!(neutral_default("'open'"), neutral_default("'open'::text"));
    assert_ne!(neutral_default("'open'"), neutral_default("'closed'::text"));
}

// ---------------------------------------------------------------------------
// Test plumbing

type Migrated = (Database, DatabaseGuard);

async fn migrated_pair() -> (Migrated, Migrated) {
    (
        fresh_database(TestBackend::Sqlite).await,
        fresh_database(TestBackend::Postgres).await,
    )
}

/// Migrates both backends, runs `on_sqlite` and `on_postgres` on their own
/// side, and compares what results.
async fn differences_after_changing(on_sqlite: &[&str], on_postgres: &[&str]) -> Vec<String> {
    let ((sqlite, _sqlite_guard), (postgres, _postgres_guard)) = migrated_pair().await;
    run_statements(&sqlite, on_sqlite).await;
    run_statements(&postgres, on_postgres).await;
    schema_differences(&describe(&sqlite).await, &describe(&postgres).await)
}

async fn run_statements(database: &Database, statements: &[&str]) {
    for statement in statements {
        match database {
            Database::Sqlite(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
            Database::Postgres(pool) => sqlx::query(statement).execute(pool).await.map(|_| ()),
        }
        .unwrap_or_else(|error| panic!("{statement}: {error}"));
    }
}

fn assert_reported(differences: &[String], expected: &[&str]) {
    for line in expected {
        assert!(
            differences.iter().any(|found| found == line),
            "expected the difference\n  {line}\nbut the comparison found:\n  {}",
            differences.join("\n  ")
        );
    }
}

/// Guards against an introspection that reads nothing: two empty
/// descriptions would compare equal.
fn assert_describes_the_migrations(schema: &Schema) {
    for table in ["users", "sessions", "cases", "reflections", "drafts"] {
        let described = schema.tables.get(table);
        assert!(
            described.is_some_and(|table| !table.columns.is_empty()),
            "table {table} was not read from the database: {schema:#?}"
        );
    }
    assert!(!schema.tables.contains_key(MIGRATIONS_TABLE));
}

// ---------------------------------------------------------------------------
// The backend-neutral description

/// sqlx's record of applied migrations: bookkeeping, not the app's schema.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Stands for an index column that is an expression rather than a column.
const EXPRESSION: &str = "<expression>";

#[derive(Debug, Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
}

#[derive(Debug, Default)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: ColumnList,
    /// UNIQUE constraints, written in the table (not CREATE UNIQUE INDEX).
    unique_constraints: BTreeSet<ColumnList>,
    /// Indexes made with CREATE [UNIQUE] INDEX, by name.
    indexes: BTreeMap<String, Index>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// How many CHECK constraints the table has with each signature.
    checks: BTreeMap<CheckSignature, usize>,
}

#[derive(Debug, PartialEq)]
struct Column {
    data_type: String,
    nullable: bool,
    default: Option<String>,
    /// The database picks the value when an insert leaves the column out.
    generated_key: bool,
}

#[derive(Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct ColumnList(Vec<String>);

#[derive(Debug, PartialEq)]
struct Index {
    columns: ColumnList,
    unique: bool,
    /// Has a WHERE clause (the predicate itself is not compared).
    partial: bool,
}

/// Why an index exists, which decides where a [`Table`] records it.
enum IndexOrigin {
    PrimaryKey,
    UniqueConstraint,
    CreateIndex,
}

/// An index as a backend's catalogue lists it.
struct ListedIndex {
    name: String,
    origin: IndexOrigin,
    index: Index,
}

impl Table {
    fn add_index(&mut self, listed: ListedIndex) {
        match listed.origin {
            IndexOrigin::PrimaryKey => self.primary_key = listed.index.columns,
            IndexOrigin::UniqueConstraint => {
                self.unique_constraints.insert(listed.index.columns);
            }
            IndexOrigin::CreateIndex => {
                self.indexes.insert(listed.name, listed.index);
            }
        }
    }
}

/// Index or key columns by name, an expression standing in for a column
/// (which both catalogues report without a name) marked as such.
fn column_list(names: Vec<Option<String>>) -> ColumnList {
    ColumnList(
        names
            .into_iter()
            .map(|name| name.unwrap_or_else(|| EXPRESSION.to_string()))
            .collect(),
    )
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: ColumnList,
    referenced_table: String,
    referenced_columns: ColumnList,
    on_delete: String,
    on_update: String,
}

/// What can be compared of a CHECK across dialects. PostgreSQL stores its
/// own rewriting of the expression (`a BETWEEN 1 AND 5` comes back as
/// `((a >= 1) AND (a <= 5))`), so the text cannot be compared; the columns
/// it reads and the constants it holds can, and catch a bound changed on one
/// side.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct CheckSignature {
    columns: BTreeSet<String>,
    constants: Vec<String>,
}

impl CheckSignature {
    fn of(tokens: &[Token], table_columns: &BTreeSet<String>) -> Self {
        let mut columns = BTreeSet::new();
        let mut constants = Vec::new();
        for token in tokens {
            match token {
                Token::Word(name) | Token::Quoted(name) if table_columns.contains(name) => {
                    columns.insert(name.clone());
                }
                Token::Constant(value) => constants.push(value.clone()),
                _ => {}
            }
        }
        constants.sort();
        CheckSignature { columns, constants }
    }
}

fn count_signatures(
    signatures: impl Iterator<Item = CheckSignature>,
) -> BTreeMap<CheckSignature, usize> {
    let mut counts = BTreeMap::new();
    for signature in signatures {
        *counts.entry(signature).or_insert(0) += 1;
    }
    counts
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let null = if self.nullable { "NULL" } else { "NOT NULL" };
        write!(f, "{} {null}", self.data_type)?;
        if let Some(default) = &self.default {
            write!(f, " DEFAULT {default}")?;
        }
        if self.generated_key {
            write!(f, " generated key")?;
        }
        Ok(())
    }
}

impl fmt::Display for ColumnList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.0.join(", "))
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unique = if self.unique { "UNIQUE " } else { "" };
        let partial = if self.partial { " WHERE …" } else { "" };
        write!(f, "{unique}INDEX {}{partial}", self.columns)
    }
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} → {} {} ON DELETE {} ON UPDATE {}",
            self.columns,
            self.referenced_table,
            self.referenced_columns,
            self.on_delete,
            self.on_update
        )
    }
}

impl fmt::Display for CheckSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        write!(f, "CHECK using {}", columns.join(", "))?;
        if !self.constants.is_empty() {
            write!(f, " with {}", self.constants.join(", "))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Comparison: one readable line per difference

fn schema_differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for name in names {
        match (sqlite.tables.get(name), postgres.tables.get(name)) {
            (Some(on_sqlite), Some(on_postgres)) => {
                table_differences(&mut found, name, on_sqlite, on_postgres)
            }
            (Some(_), None) => found.push(format!("table {name}: only on SQLite")),
            (None, _) => found.push(format!("table {name}: only on PostgreSQL")),
        }
    }
    found
}

fn table_differences(found: &mut Vec<String>, name: &str, sqlite: &Table, postgres: &Table) {
    let place = format!("table {name}, ");
    entry_differences(
        found,
        &format!("{place}column "),
        &sqlite.columns,
        &postgres.columns,
    );
    if sqlite.primary_key != postgres.primary_key {
        found.push(format!(
            "{place}primary key: SQLite {}, PostgreSQL {}",
            sqlite.primary_key, postgres.primary_key
        ));
    }
    entry_differences(
        found,
        &format!("{place}unique "),
        &presence(&sqlite.unique_constraints),
        &presence(&postgres.unique_constraints),
    );
    entry_differences(
        found,
        &format!("{place}index "),
        &sqlite.indexes,
        &postgres.indexes,
    );
    entry_differences(
        found,
        &format!("{place}foreign key "),
        &presence(&sqlite.foreign_keys),
        &presence(&postgres.foreign_keys),
    );
    entry_differences(found, &place, &sqlite.checks, &postgres.checks);
}

/// A line for every key whose value differs, a key missing on one side
/// included.
fn entry_differences<K, V>(
    found: &mut Vec<String>,
    place: &str,
    sqlite: &BTreeMap<K, V>,
    postgres: &BTreeMap<K, V>,
) where
    K: Ord + fmt::Display,
    V: PartialEq + fmt::Display,
{
    let keys: BTreeSet<&K> = sqlite.keys().chain(postgres.keys()).collect();
    for key in keys {
        let (on_sqlite, on_postgres) = (sqlite.get(key), postgres.get(key));
        if on_sqlite != on_postgres {
            found.push(format!(
                "{place}{key}: SQLite {}, PostgreSQL {}",
                shown(on_sqlite),
                shown(on_postgres)
            ));
        }
    }
}

/// A set as a map, so that [`entry_differences`] reports what one side lacks.
fn presence<K: Ord>(set: &BTreeSet<K>) -> BTreeMap<&K, &'static str> {
    set.iter().map(|key| (key, "present")).collect()
}

fn shown(value: Option<&impl fmt::Display>) -> String {
    value.map_or_else(|| "missing".to_string(), ToString::to_string)
}

// ---------------------------------------------------------------------------
// Reading each backend's catalogue

async fn describe(database: &Database) -> Schema {
    match database {
        Database::Sqlite(pool) => sqlite_catalogue::describe(pool).await,
        Database::Postgres(pool) => postgres_catalogue::describe(pool).await,
    }
}

mod sqlite_catalogue {
    use sqlx::{Row, SqlitePool};

    use super::*;

    pub async fn describe(pool: &SqlitePool) -> Schema {
        let rows = sqlx::query(
            "SELECT name, sql FROM sqlite_master \
             WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ?",
        )
        .bind(MIGRATIONS_TABLE)
        .fetch_all(pool)
        .await
        .expect("list SQLite tables");
        let mut tables = BTreeMap::new();
        for row in rows {
            let (name, create_table): (String, String) = (row.get("name"), row.get("sql"));
            let table = describe_table(pool, &name, &create_table).await;
            tables.insert(name, table);
        }
        Schema { tables }
    }

    async fn describe_table(pool: &SqlitePool, name: &str, create_table: &str) -> Table {
        let declared = declared_columns(pool, name).await;
        let indexes = indexes(pool, name).await;
        // Read from the columns: a rowid key has no index to read it from.
        let primary_key = primary_key(&declared);
        // A single-column key that SQLite did not have to back with an index
        // of its own is the rowid under another name: `INTEGER PRIMARY KEY`.
        let rowid_alias = primary_key.0.len() == 1
            && !indexes
                .iter()
                .any(|listed| matches!(listed.origin, IndexOrigin::PrimaryKey));
        let columns = declared
            .iter()
            .map(|column| {
                let is_rowid = rowid_alias && primary_key.0[0] == column.name;
                (column.name.clone(), column.neutral(is_rowid))
            })
            .collect::<BTreeMap<_, _>>();
        let column_names = columns.keys().cloned().collect();
        let mut table = Table {
            primary_key,
            foreign_keys: foreign_keys(pool, name).await,
            checks: count_signatures(
                sqlite_check_bodies(create_table)
                    .iter()
                    .map(|body| CheckSignature::of(body, &column_names)),
            ),
            columns,
            ..Table::default()
        };
        for listed in indexes {
            table.add_index(listed);
        }
        table
    }

    struct DeclaredColumn {
        name: String,
        declared_type: String,
        not_null: bool,
        default: Option<String>,
        /// Place in the primary key, from 1; 0 when not part of it.
        key_position: i64,
    }

    impl DeclaredColumn {
        fn neutral(&self, is_rowid: bool) -> Column {
            Column {
                data_type: neutral_type(&self.declared_type),
                // A rowid is never NULL, though SQLite reports no NOT NULL
                // for it. Other key columns are nullable unless declared NOT
                // NULL (an SQLite quirk PostgreSQL does not share), so they
                // are taken as declared.
                nullable: !self.not_null && !is_rowid,
                default: self.default.as_deref().map(neutral_default),
                generated_key: is_rowid,
            }
        }
    }

    /// SQLite keeps whatever type name it is given; its integers are 64-bit
    /// whichever integer name is used, like PostgreSQL's `bigint`.
    fn neutral_type(declared: &str) -> String {
        match declared.to_ascii_lowercase().as_str() {
            "integer" | "bigint" | "int8" => "bigint".to_string(),
            other => other.to_string(),
        }
    }

    async fn declared_columns(pool: &SqlitePool, table: &str) -> Vec<DeclaredColumn> {
        sqlx::query(r#"SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)"#)
            .bind(table)
            .fetch_all(pool)
            .await
            .expect("read SQLite columns")
            .into_iter()
            .map(|row| DeclaredColumn {
                name: row.get("name"),
                declared_type: row.get("type"),
                not_null: row.get::<i64, _>("notnull") != 0,
                default: row.get("dflt_value"),
                key_position: row.get("pk"),
            })
            .collect()
    }

    fn primary_key(columns: &[DeclaredColumn]) -> ColumnList {
        let mut key: Vec<&DeclaredColumn> = columns
            .iter()
            .filter(|column| column.key_position > 0)
            .collect();
        key.sort_by_key(|column| column.key_position);
        ColumnList(key.iter().map(|column| column.name.clone()).collect())
    }

    async fn indexes(pool: &SqlitePool, table: &str) -> Vec<ListedIndex> {
        let rows =
            sqlx::query(r#"SELECT name, "unique", origin, partial FROM pragma_index_list(?)"#)
                .bind(table)
                .fetch_all(pool)
                .await
                .expect("read SQLite indexes");
        let mut indexes = Vec::new();
        for row in rows {
            let name: String = row.get("name");
            let index = Index {
                columns: index_columns(pool, &name).await,
                unique: row.get::<i64, _>("unique") != 0,
                partial: row.get::<i64, _>("partial") != 0,
            };
            let origin = match row.get::<String, _>("origin").as_str() {
                "pk" => IndexOrigin::PrimaryKey,
                "u" => IndexOrigin::UniqueConstraint,
                _ => IndexOrigin::CreateIndex,
            };
            indexes.push(ListedIndex {
                name,
                origin,
                index,
            });
        }
        indexes
    }

    async fn index_columns(pool: &SqlitePool, index: &str) -> ColumnList {
        let names: Vec<Option<String>> =
            sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                .bind(index)
                .fetch_all(pool)
                .await
                .expect("read SQLite index columns");
        column_list(names)
    }

    async fn foreign_keys(pool: &SqlitePool, table: &str) -> BTreeSet<ForeignKey> {
        let rows = sqlx::query(
            r#"SELECT id, "table", "from", "to", on_update, on_delete
               FROM pragma_foreign_key_list(?) ORDER BY id, seq"#,
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("read SQLite foreign keys");
        // One row per column: a key over several columns spans several rows.
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for row in rows {
            let key = by_id.entry(row.get("id")).or_insert_with(|| ForeignKey {
                columns: ColumnList::default(),
                referenced_table: row.get("table"),
                referenced_columns: ColumnList::default(),
                on_delete: row.get("on_delete"),
                on_update: row.get("on_update"),
            });
            key.columns.0.push(row.get("from"));
            // `REFERENCES t` without columns means t's primary key; SQLite
            // then reports no column, PostgreSQL the key's columns.
            let to: Option<String> = row.get("to");
            key.referenced_columns.0.extend(to);
        }
        let mut keys = BTreeSet::new();
        for mut key in by_id.into_values() {
            if key.referenced_columns.0.is_empty() {
                let parent = declared_columns(pool, &key.referenced_table).await;
                key.referenced_columns = primary_key(&parent);
            }
            keys.insert(key);
        }
        keys
    }
}

mod postgres_catalogue {
    use sqlx::{PgPool, Row};

    use super::*;

    pub async fn describe(pool: &PgPool) -> Schema {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
               AND table_name <> $1",
        )
        .bind(MIGRATIONS_TABLE)
        .fetch_all(pool)
        .await
        .expect("list PostgreSQL tables");
        let mut tables = BTreeMap::new();
        for name in names {
            let table = describe_table(pool, &name).await;
            tables.insert(name, table);
        }
        Schema { tables }
    }

    async fn describe_table(pool: &PgPool, name: &str) -> Table {
        let columns = columns(pool, name).await;
        let column_names = columns.keys().cloned().collect();
        let mut table = Table {
            columns,
            foreign_keys: foreign_keys(pool, name).await,
            checks: count_signatures(
                check_definitions(pool, name)
                    .await
                    .iter()
                    .map(|definition| CheckSignature::of(&sql_tokens(definition), &column_names)),
            ),
            ..Table::default()
        };
        for listed in indexes(pool, name).await {
            table.add_index(listed);
        }
        table
    }

    async fn columns(pool: &PgPool, table: &str) -> BTreeMap<String, Column> {
        sqlx::query(
            "SELECT column_name::text AS name, data_type::text AS data_type, \
                    is_nullable::text = 'YES' AS nullable, column_default::text AS raw_default, \
                    is_identity::text = 'YES' AS identity \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("read PostgreSQL columns")
        .into_iter()
        .map(|row| {
            let raw_default: Option<String> = row.get("raw_default");
            // serial and bigserial are a sequence behind the default.
            let serial = raw_default
                .as_deref()
                .is_some_and(|text| text.starts_with("nextval("));
            let column = Column {
                data_type: row.get("data_type"),
                nullable: row.get("nullable"),
                default: raw_default
                    .filter(|_| !serial)
                    .as_deref()
                    .map(neutral_default),
                generated_key: serial || row.get::<bool, _>("identity"),
            };
            (row.get("name"), column)
        })
        .collect()
    }

    /// The names of `attnums` (an int2[] expression over the attributes of
    /// `relation`), in order; NULL for an expression.
    fn column_names_sql(attnums: &str, relation: &str) -> String {
        format!(
            "ARRAY(SELECT a.attname::text \
                   FROM unnest({attnums}) WITH ORDINALITY AS k(attnum, place) \
                   LEFT JOIN pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.attnum \
                   ORDER BY k.place)"
        )
    }

    // pg_catalog rather than information_schema for keys, indexes and checks:
    // its arrays keep the order of a composite key's columns, and
    // information_schema lists NOT NULL as CHECK constraints too.

    async fn indexes(pool: &PgPool, table: &str) -> Vec<ListedIndex> {
        // Only key columns: INCLUDE columns are not part of what is indexed.
        let key_columns = "(x.indkey::int2[])[0:x.indnkeyatts - 1]";
        let sql = format!(
            "SELECT i.relname::text AS name, c.contype::text AS constraint_type, \
                    x.indisunique AS is_unique, x.indpred IS NOT NULL AS partial, \
                    {} AS columns \
             FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid \
             LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid \
                  AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u') \
             WHERE x.indrelid = quote_ident($1)::regclass",
            column_names_sql(key_columns, "x.indrelid")
        );
        sqlx::query(&sql)
            .bind(table)
            .fetch_all(pool)
            .await
            .expect("read PostgreSQL indexes")
            .into_iter()
            .map(|row| {
                // The constraint the index backs, if any.
                let origin = match row.get::<Option<String>, _>("constraint_type").as_deref() {
                    Some("p") => IndexOrigin::PrimaryKey,
                    Some("u") => IndexOrigin::UniqueConstraint,
                    _ => IndexOrigin::CreateIndex,
                };
                let index = Index {
                    columns: column_list(row.get("columns")),
                    unique: row.get("is_unique"),
                    partial: row.get("partial"),
                };
                ListedIndex {
                    name: row.get("name"),
                    origin,
                    index,
                }
            })
            .collect()
    }

    async fn foreign_keys(pool: &PgPool, table: &str) -> BTreeSet<ForeignKey> {
        let sql = format!(
            "SELECT {} AS columns, c.confrelid::regclass::text AS referenced_table, \
                    {} AS referenced_columns, \
                    c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update \
             FROM pg_constraint c \
             WHERE c.contype = 'f' AND c.conrelid = quote_ident($1)::regclass",
            column_names_sql("c.conkey", "c.conrelid"),
            column_names_sql("c.confkey", "c.confrelid"),
        );
        sqlx::query(&sql)
            .bind(table)
            .fetch_all(pool)
            .await
            .expect("read PostgreSQL foreign keys")
            .into_iter()
            .map(|row| ForeignKey {
                columns: column_list(row.get("columns")),
                referenced_table: row.get("referenced_table"),
                referenced_columns: column_list(row.get("referenced_columns")),
                on_delete: action_name(row.get("on_delete")),
                on_update: action_name(row.get("on_update")),
            })
            .collect()
    }

    /// pg_constraint's one-letter referential actions, spelled as SQLite
    /// reports them.
    fn action_name(code: String) -> String {
        match code.as_str() {
            "a" => "NO ACTION",
            "r" => "RESTRICT",
            "c" => "CASCADE",
            "n" => "SET NULL",
            "d" => "SET DEFAULT",
            _ => panic!("unknown referential action {code:?}"),
        }
        .to_string()
    }

    async fn check_definitions(pool: &PgPool, table: &str) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE contype = 'c' AND conrelid = quote_ident($1)::regclass",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("read PostgreSQL checks")
    }
}

// ---------------------------------------------------------------------------
// Reading SQL text: SQLite keeps CHECK constraints only in the CREATE TABLE
// statement, and the two backends spell defaults and constants differently.

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A keyword or bare identifier, lower-cased.
    Word(String),
    /// A "quoted" identifier, lower-cased like the schema's bare names.
    Quoted(String),
    /// A number or a 'string', by its value: PostgreSQL prints a negative
    /// number as '-1'::integer, SQLite keeps -1.
    Constant(String),
    Symbol(char),
}

fn sql_tokens(sql: &str) -> Vec<Token> {
    let mut chars = sql.chars().peekable();
    let mut tokens = Vec::new();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let token = match c {
            c if c.is_whitespace() => continue,
            '-' if next == Some('-') => {
                chars.by_ref().take_while(|&c| c != '\n').for_each(drop);
                continue;
            }
            '/' if next == Some('*') => {
                chars.next();
                skip_block_comment(&mut chars);
                continue;
            }
            '\'' => Token::Constant(read_quoted(&mut chars, '\'')),
            '"' => Token::Quoted(read_quoted(&mut chars, '"').to_lowercase()),
            '-' if next.is_some_and(|n| n.is_ascii_digit()) && !follows_operand(tokens.last()) => {
                Token::Constant(format!("-{}", read_while(&mut chars, is_number_char)))
            }
            c if c.is_ascii_digit() => {
                Token::Constant(format!("{c}{}", read_while(&mut chars, is_number_char)))
            }
            c if is_word_char(c) => {
                Token::Word(format!("{c}{}", read_while(&mut chars, is_word_char)).to_lowercase())
            }
            other => Token::Symbol(other),
        };
        tokens.push(token);
    }
    tokens
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

/// Whether a `-` after `previous` subtracts (rather than negates).
fn follows_operand(previous: Option<&Token>) -> bool {
    match previous {
        Some(Token::Constant(_) | Token::Quoted(_) | Token::Symbol(')')) => true,
        Some(Token::Word(word)) => !matches!(
            word.as_str(),
            "and" | "or" | "not" | "between" | "in" | "is" | "when" | "then" | "else"
        ),
        _ => false,
    }
}

fn read_while(chars: &mut Chars<'_>, keep: fn(char) -> bool) -> String {
    let mut text = String::new();
    while let Some(c) = chars.next_if(|&c| keep(c)) {
        text.push(c);
    }
    text
}

/// The text up to the closing `quote`, a doubled quote standing for one.
fn read_quoted(chars: &mut Chars<'_>, quote: char) -> String {
    let mut text = String::new();
    while let Some(c) = chars.next() {
        if c == quote && chars.next_if_eq(&quote).is_none() {
            break;
        }
        text.push(c);
    }
    text
}

fn skip_block_comment(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        if c == '*' && chars.next_if_eq(&'/').is_some() {
            return;
        }
    }
}

/// The token lists inside each `CHECK ( … )` of a CREATE TABLE statement.
fn sqlite_check_bodies(create_table: &str) -> Vec<Vec<Token>> {
    let tokens = sql_tokens(create_table);
    let mut bodies = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let opens_check = *token == Token::Word("check".to_string())
            && tokens.get(at + 1) == Some(&Token::Symbol('('));
        if opens_check {
            bodies.push(parenthesised(&tokens[at + 1..]).to_vec());
        }
    }
    bodies
}

/// The tokens between `tokens[0]`, an opening parenthesis, and its match.
fn parenthesised(tokens: &[Token]) -> &[Token] {
    let mut depth = 0;
    for (at, token) in tokens.iter().enumerate() {
        match token {
            Token::Symbol('(') => depth += 1,
            Token::Symbol(')') => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return &tokens[1..at];
        }
    }
    panic!("unbalanced parentheses in {tokens:?}")
}

/// A column default in one spelling for both backends: keywords lower-cased,
/// PostgreSQL's `::type` casts dropped, constants by value.
fn neutral_default(raw: &str) -> String {
    let mut parts = Vec::new();
    let mut tokens = sql_tokens(raw).into_iter().peekable();
    while let Some(token) = tokens.next() {
        if token == Token::Symbol(':') && tokens.next_if_eq(&Token::Symbol(':')).is_some() {
            // A cast's type name may be several words: `character varying`.
            while tokens
                .next_if(|token| matches!(token, Token::Word(_)))
                .is_some()
            {}
            continue;
        }
        parts.push(match token {
            Token::Word(word) => word,
            Token::Quoted(name) => format!("\"{name}\""),
            Token::Constant(value) => format!("'{value}'"),
            Token::Symbol(symbol) => symbol.to_string(),
        });
    }
    parts.join(" ")
}
