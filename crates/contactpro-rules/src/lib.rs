//! contactpro-rules: the tenant's rules, shared by plan-time validation in the provider and by the emulator.
//! May depend on nothing of Terraform, HTTP or storage (no tf-provider, reqwest, axum, rusqlite).
//! Each check returns a sentence that says what is wrong and how to fix it; callers add the resource
//! and attribute. No check ever echoes the checked password or secret.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Contact Pro's default authentication policy: Minimum Password Length 16.
pub const MIN_PASSWORD_LENGTH: usize = 16;
pub const MAX_PASSWORD_LENGTH: usize = 256;
/// Characters the integration pages forbid in passwords of API users.
pub const FORBIDDEN_PASSWORD_CHARS: [char; 5] = ['¤', '£', '€', '½', '§'];
pub const NAME_MAX: usize = 400;
pub const LOGIN_MAX: usize = 100;
pub const SECRET_NAME_MAX: usize = 255;
pub const SECRET_VALUE_MAX: usize = 4096;
pub const DESCRIPTION_MAX: usize = 1000;

pub const SECRET_TYPES: [&str; 3] = ["basic", "oauth", "header"];

/// RCI object types (PascalCase on the wire) with the snake_case names the provider uses.
pub const OBJECT_TYPES: [(&str, &str); 17] = [
    ("queue", "Queue"),
    ("queue_group", "QueueGroup"),
    ("user", "User"),
    ("user_group", "UserGroup"),
    ("user_role", "UserRole"),
    ("secret", "Secret"),
    ("user_service", "UserService"),
    ("callbacks", "Callbacks"),
    ("customer_consents", "CustomerConsents"),
    ("calendar", "Calendar"),
    ("schedule", "Schedule"),
    ("built_in_ivr", "BuiltInIvr"),
    ("custom_ivr", "CustomIvr"),
    ("campaign", "Campaign"),
    (
        "certificate_authentication_info",
        "CertificateAuthenticationInfo",
    ),
    ("user_devices", "UserDevices"),
    ("data_protection_officer", "DataProtectionOfficer"),
];

/// RCI access types (PascalCase on the wire) with the snake_case names the provider uses.
pub const ACCESS_TYPES: [(&str, &str); 21] = [
    ("view", "View"),
    ("modify", "Modify"),
    ("create", "Create"),
    ("delete", "Delete"),
    ("manage", "Manage"),
    ("serve", "Serve"),
    ("use", "Use"),
    ("manage_voicemail", "ManageVoicemail"),
    ("manage_rights", "ManageRights"),
    ("manage_members", "ManageMembers"),
    ("statistics_details", "StatisticsDetails"),
    ("statistics_summary", "StatisticsSummary"),
    ("control_contact", "ControlContact"),
    ("barge_in", "BargeIn"),
    ("listen", "Listen"),
    ("coach", "Coach"),
    ("log_on_agents", "LogOnAgents"),
    ("listen_to_recording", "ListenToRecording"),
    ("manage_contact_history", "ManageContactHistory"),
    ("manage_presence", "ManagePresence"),
    ("messaging", "Messaging"),
];

pub fn object_type_to_wire(snake: &str) -> Option<&'static str> {
    OBJECT_TYPES
        .iter()
        .find(|(s, _)| *s == snake)
        .map(|(_, w)| *w)
}

pub fn object_type_from_wire(wire: &str) -> Option<&'static str> {
    OBJECT_TYPES
        .iter()
        .find(|(_, w)| *w == wire)
        .map(|(s, _)| *s)
}

pub fn access_type_to_wire(snake: &str) -> Option<&'static str> {
    ACCESS_TYPES
        .iter()
        .find(|(s, _)| *s == snake)
        .map(|(_, w)| *w)
}

pub fn access_type_from_wire(wire: &str) -> Option<&'static str> {
    ACCESS_TYPES
        .iter()
        .find(|(_, w)| *w == wire)
        .map(|(s, _)| *s)
}

pub fn is_wire_object_type(wire: &str) -> bool {
    object_type_from_wire(wire).is_some()
}

pub fn is_wire_access_type(wire: &str) -> bool {
    access_type_from_wire(wire).is_some()
}

/// Checks a password against the tenant's default policy.
pub fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        return Err(format!(
            "the password has {length} characters; the tenant's policy asks for at least {MIN_PASSWORD_LENGTH}"
        ));
    }
    if length > MAX_PASSWORD_LENGTH {
        return Err(format!(
            "the password has {length} characters; at most {MAX_PASSWORD_LENGTH} are accepted"
        ));
    }
    if let Some(position) = password
        .chars()
        .position(|c| FORBIDDEN_PASSWORD_CHARS.contains(&c))
    {
        return Err(format!(
            "character {} of the password is one of ¤ £ € ½ §, which Contact Pro does not accept in API users' passwords",
            position + 1
        ));
    }
    if let Some(position) = password
        .chars()
        .position(|c| !c.is_ascii_graphic() && c != ' ')
    {
        return Err(format!(
            "character {} of the password is not a printable ASCII character; letters outside the Latin alphabet (umlauts, Scandinavian letters) are not accepted",
            position + 1
        ));
    }
    Ok(())
}

/// First and last names: 1 to 400 characters.
pub fn check_person_name(value: &str) -> Result<(), String> {
    let length = value.chars().count();
    if length == 0 || value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if length > NAME_MAX {
        return Err(format!(
            "has {length} characters; at most {NAME_MAX} are allowed"
        ));
    }
    Ok(())
}

/// Logon names: no spaces or special characters.
pub fn check_login(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value.chars().count() > LOGIN_MAX {
        return Err(format!("is longer than {LOGIN_MAX} characters"));
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-')))
    {
        return Err(format!(
            "contains {c:?}; use only letters A-Z, digits and . _ @ -"
        ));
    }
    Ok(())
}

/// Secret names: letters, numbers, dash, underscore and period.
pub fn check_secret_name(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value.chars().count() > SECRET_NAME_MAX {
        return Err(format!("is longer than {SECRET_NAME_MAX} characters"));
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "contains {c:?}; use only letters A-Z, digits and . _ -"
        ));
    }
    Ok(())
}

/// The length rule of secret values; the value itself is never echoed.
pub fn check_secret_value(value: &str) -> Result<(), String> {
    let length = value.chars().count();
    if length == 0 {
        return Err("must not be empty".into());
    }
    if length > SECRET_VALUE_MAX {
        return Err(format!("is longer than {SECRET_VALUE_MAX} characters"));
    }
    Ok(())
}

pub fn check_description(value: &str) -> Result<(), String> {
    if value.chars().count() > DESCRIPTION_MAX {
        return Err(format!("is longer than {DESCRIPTION_MAX} characters"));
    }
    Ok(())
}

/// Parses an RFC 3339 timestamp.
pub fn parse_timestamp(value: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|_| format!("{value:?} is not an RFC 3339 timestamp such as 2027-06-30T00:00:00Z"))
}

/// An RFC 3339 timestamp that lies in the future.
pub fn check_future_timestamp(value: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let at = parse_timestamp(value)?;
    if at <= now {
        return Err(format!("{value:?} is not in the future"));
    }
    Ok(at)
}

/// Formats a timestamp the way the API returns it: RFC 3339, UTC, whole seconds.
pub fn format_timestamp(at: OffsetDateTime) -> String {
    let at = at
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

/// An http or https URL with a host.
pub fn check_http_url(value: &str) -> Result<url::Url, String> {
    let parsed = url::Url::parse(value)
        .map_err(|e| format!("{value:?} is not a URL ({e}); write it as https://host/path"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{value:?} must start with https:// or http://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("{value:?} has no host"));
    }
    Ok(parsed)
}

/// IDs: 32 upper-case hex characters.
pub fn is_id(value: &str) -> bool {
    value.len() == 32
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        assert!(check_password("Correct-Horse-Battery-9").is_ok());
        assert!(check_password("short").unwrap_err().contains("at least 16"));
        assert!(check_password("aaaaaaaaaaaaaaaaä")
            .unwrap_err()
            .contains("Latin"));
        assert!(check_password("aaaaaaaaaaaaaaaa€")
            .unwrap_err()
            .contains("€"));
        assert!(check_password("aaaaaaaaaaaaaaaa§").is_err());
        assert!(!check_password("secret-value-ÄÄÄÄÄÄÄÄ")
            .unwrap_err()
            .contains("secret-value"));
    }

    #[test]
    fn names_and_vocabularies() {
        assert!(check_secret_name("ri-apikey").is_ok());
        assert!(check_secret_name("bad name").is_err());
        assert!(check_login("api.attachments").is_ok());
        assert!(check_login("a b").is_err());
        assert_eq!(object_type_to_wire("queue_group"), Some("QueueGroup"));
        assert_eq!(
            access_type_from_wire("ManageContactHistory"),
            Some("manage_contact_history")
        );
        assert!(is_id("3906ECA4762C42588B55E5A66460D58E"));
        assert!(!is_id("3906eca4762c42588b55e5a66460d58e"));
    }

    #[test]
    fn timestamps() {
        let now = OffsetDateTime::now_utc();
        assert!(check_future_timestamp("2999-01-01T00:00:00Z", now).is_ok());
        assert!(check_future_timestamp("2001-01-01T00:00:00Z", now).is_err());
        assert!(check_future_timestamp("tomorrow", now).is_err());
    }
}
