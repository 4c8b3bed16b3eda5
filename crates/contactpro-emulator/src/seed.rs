//! Seed data created the first time a tenant is seen, mirroring a fresh Contact Pro tenant.

use rusqlite::{params, Transaction};
use time::OffsetDateTime;

use super::config::TenantConfig;
use super::store::new_id;
use contactpro_rules as policy;

pub const ROLES: [&str; 11] = [
    "-CC365 Queue administrator",
    "-CC365 Outbound administrator",
    "-CC365 IVR administrator",
    "-CC365 Reporting administrator",
    "Superuser",
    "Emergency Admin",
    "CC Supervisor",
    "CC Agent",
    "Emergency User",
    "Expert user",
    "Office user",
];

/// Creates the tenant and its seed data if it is new; always (re)applies the configured admin
/// password so the CLI flags win over a stored database.
pub fn ensure_tenant(tx: &Transaction, tenant: &TenantConfig) -> rusqlite::Result<()> {
    let now = OffsetDateTime::now_utc();
    let exists: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM tenants WHERE name = ?1)",
        [&tenant.name],
        |row| row.get(0),
    )?;
    if !exists {
        tx.execute(
            "INSERT INTO tenants (name, created_at) VALUES (?1, ?2)",
            params![tenant.name, policy::format_timestamp(now)],
        )?;
        seed(tx, tenant)?;
    }
    let expiration = policy::format_timestamp(now + time::Duration::days(365));
    tx.execute(
        "UPDATE users SET password = ?3, password_expiration = ?4 WHERE tenant = ?1 AND login_norm = ?2",
        params![
            tenant.name,
            tenant.admin_login.to_lowercase(),
            tenant.admin_password,
            expiration
        ],
    )?;
    Ok(())
}

fn seed(tx: &Transaction, tenant: &TenantConfig) -> rusqlite::Result<()> {
    let t = tenant.name.as_str();
    let group = |name: &str, parent: Option<&str>| -> rusqlite::Result<String> {
        let id = new_id();
        tx.execute(
            "INSERT INTO user_groups (tenant, id, name, parent_id) VALUES (?1, ?2, ?3, ?4)",
            params![t, id, name, parent],
        )?;
        Ok(id)
    };
    let all = group("All Users", None)?;
    let agents = group("Sample Agents Group", Some(&all))?;
    let supervisors = group("Sample Supervisors Group", Some(&all))?;
    let superusers = group("Superusers Group", Some(&all))?;

    let user = |first: &str, surname: &str, login: &str, groups: &[&str]| -> rusqlite::Result<()> {
        let id = new_id();
        tx.execute(
            "INSERT INTO users (tenant, id, first_name, surname, login, login_norm, time_zone, ui_language, prompt_language)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Europe/Helsinki', 'en', 'en')",
            params![t, id, first, surname, login, login.to_lowercase()],
        )?;
        for g in groups {
            tx.execute(
                "INSERT INTO user_group_members (tenant, user_id, group_id) VALUES (?1, ?2, ?3)",
                params![t, id, g],
            )?;
        }
        Ok(())
    };
    user("Sample", "Agent1", "sample.agent1", &[&all, &agents])?;
    user(
        "Sample",
        "Supervisor1",
        "sample.supervisor1",
        &[&all, &supervisors],
    )?;
    user(
        "Sample",
        "Superuser1",
        "sample.superuser1",
        &[&all, &superusers],
    )?;
    user("Tenant", "Admin", &tenant.admin_login, &[&all, &superusers])?;

    let queue = |name: &str, channel: &str| -> rusqlite::Result<String> {
        let id = new_id();
        tx.execute(
            "INSERT INTO queues (tenant, id, name, channel) VALUES (?1, ?2, ?3, ?4)",
            params![t, id, name, channel],
        )?;
        Ok(id)
    };
    let chat_support = queue("Chat Support", "chat")?;
    let chat_sales = queue("Chat Sales", "chat")?;
    queue("Phone Support", "phone")?;
    queue("Email Support", "email")?;
    let chat_queues = new_id();
    tx.execute(
        "INSERT INTO queue_groups (tenant, id, name) VALUES (?1, ?2, 'Chat Queues')",
        params![t, chat_queues],
    )?;
    for q in [&chat_support, &chat_sales] {
        tx.execute(
            "INSERT INTO queue_group_members (tenant, group_id, queue_id) VALUES (?1, ?2, ?3)",
            params![t, chat_queues, q],
        )?;
    }
    for role in ROLES {
        tx.execute(
            "INSERT INTO roles (tenant, id, name) VALUES (?1, ?2, ?3)",
            params![t, new_id(), role],
        )?;
    }
    tx.execute(
        "INSERT INTO secrets (tenant, id, name, description, type, authentication_id, access_token_url, secret)
         VALUES (?1, ?2, 'orchestration-layer', 'Orchestration layer client', 'oauth', 'orchestration-client',
                 'https://auth.example.com/oauth2/token', 'orchestration-layer-secret')",
        params![t, new_id()],
    )?;
    Ok(())
}
