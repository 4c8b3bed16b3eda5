//! Embedded schema migrations, tracked with `PRAGMA user_version`.

use rusqlite::Connection;

/// Migration N (1-based) brings `user_version` from N-1 to N. Append only.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE tenants (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE users (
    tenant TEXT NOT NULL, id TEXT NOT NULL,
    first_name TEXT NOT NULL, surname TEXT NOT NULL,
    login TEXT NOT NULL, login_norm TEXT NOT NULL,
    email TEXT, title TEXT, location TEXT, time_zone TEXT, ui_language TEXT,
    prompt_language TEXT, external_id TEXT,
    password TEXT, password_expiration TEXT,
    service_account INTEGER NOT NULL DEFAULT 0, service_account_expiration TEXT,
    PRIMARY KEY (tenant, id), UNIQUE (tenant, login_norm));
CREATE TABLE user_groups (tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT,
    PRIMARY KEY (tenant, id));
CREATE TABLE roles (tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (tenant, id));
CREATE TABLE queues (tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, channel TEXT NOT NULL,
    PRIMARY KEY (tenant, id));
CREATE TABLE queue_groups (tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (tenant, id));
CREATE TABLE queue_group_members (tenant TEXT NOT NULL, group_id TEXT NOT NULL, queue_id TEXT NOT NULL,
    PRIMARY KEY (tenant, group_id, queue_id));
CREATE TABLE user_group_members (tenant TEXT NOT NULL, user_id TEXT NOT NULL, group_id TEXT NOT NULL,
    PRIMARY KEY (tenant, user_id, group_id));
CREATE TABLE user_roles (tenant TEXT NOT NULL, user_id TEXT NOT NULL, role_id TEXT NOT NULL,
    PRIMARY KEY (tenant, user_id, role_id));
CREATE TABLE rights (tenant TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL,
    object_type TEXT NOT NULL, object_id TEXT NOT NULL, access_types TEXT NOT NULL, grant_types TEXT NOT NULL,
    PRIMARY KEY (tenant, id), UNIQUE (tenant, user_id, object_type, object_id));
CREATE TABLE secrets (tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    type TEXT NOT NULL, authentication_id TEXT, access_token_url TEXT, secret TEXT NOT NULL,
    PRIMARY KEY (tenant, id), UNIQUE (tenant, name));
"#,
    // Every documented user field, and the "must change the initial password" flag.
    r#"
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN mobile TEXT;
ALTER TABLE users ADD COLUMN chat TEXT;
ALTER TABLE users ADD COLUMN chat_name TEXT;
ALTER TABLE users ADD COLUMN settings TEXT;
ALTER TABLE users ADD COLUMN forward_number TEXT;
ALTER TABLE users ADD COLUMN crm_id TEXT;
ALTER TABLE users ADD COLUMN business_objects_id TEXT;
ALTER TABLE users ADD COLUMN presence_id TEXT;
ALTER TABLE users ADD COLUMN recording_mode TEXT;
ALTER TABLE users ADD COLUMN call_switching_location_id TEXT;
ALTER TABLE users ADD COLUMN call_switching_location_name TEXT;
ALTER TABLE users ADD COLUMN synchronised INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
"#,
];

/// Applies every migration newer than the database's `user_version`, each in its own transaction.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}
